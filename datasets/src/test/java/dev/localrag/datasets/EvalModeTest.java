package dev.localrag.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.index.HybridFusion;
import dev.localrag.core.index.SearchMode;
import org.junit.jupiter.api.Test;

class EvalModeTest {

    @Test
    void allIsTheIndexsThreeModesAndExperimentsParse() {
        assertThat(EvalMode.parseList("all")).extracting(EvalMode::name).containsExactly("keyword", "vector", "hybrid");
        assertThat(EvalMode.parseList("keyword, all")).hasSize(3);

        assertThat(EvalMode.parse("rrf:20:0.7").fusion()).isEqualTo(HybridFusion.rrf(20, 0.7));
        assertThat(EvalMode.parse("rrf:60").fusion()).isEqualTo(HybridFusion.rrf(60, 0.5));
        assertThat(EvalMode.parse("convex:0.3").fusion()).isEqualTo(HybridFusion.minMax(0.3));
        assertThat(EvalMode.parse("zscore:0.6").fusion()).isEqualTo(HybridFusion.zScore(0.6));
        EvalMode reranked = EvalMode.parse("hybrid+rerank");
        assertThat(reranked.rerank()).isTrue();
        assertThat(reranked.searchMode()).isEqualTo(SearchMode.HYBRID);
        assertThat(EvalMode.parse("hybrid").rerank()).isFalse();
        assertThatThrownBy(() -> EvalMode.parse("zscore:0.5+rerank"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("hybrid+rerank");
        assertThat(EvalMode.parse("Keyword").searchMode()).isEqualTo(SearchMode.KEYWORD);
        assertThat(EvalMode.parse("keyword").usesVectors()).isFalse();
        assertThat(EvalMode.parse("convex:0.3").usesVectors()).isTrue();
    }

    @Test
    void badModesNameTheChoices() {
        for (String bad : new String[] {"fuzzy", "rrf:0", "rrf:x", "convex:1.5", "convex", ""}) {
            assertThatThrownBy(() -> EvalMode.parseList(bad))
                    .as(bad)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("keyword, vector, hybrid");
        }
    }

    @Test
    void passageLayoutsParse() {
        assertThat(PassageLayout.parse("whole")).isEqualTo(PassageLayout.WHOLE);
        assertThat(PassageLayout.parse("recursive:400/50").toString()).isEqualTo("recursive:400/50");
        assertThatThrownBy(() -> PassageLayout.parse("sentences"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("recursive:MAX/OVERLAP");
        assertThatThrownBy(() -> PassageLayout.parse("recursive:10/5"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("chunking.maxTokens");
    }

    @Test
    void wholeDocumentsEmbedTitleAndTextButIndexTheText() {
        CorpusDocument doc = new CorpusDocument("d", "A title", "Some text.");

        PassageLayout.Passage p = PassageLayout.WHOLE.passages(doc, null).get(0);

        assertThat(p.text()).isEqualTo("Some text.");
        assertThat(p.embedText()).isEqualTo("A title Some text.");
    }
}
