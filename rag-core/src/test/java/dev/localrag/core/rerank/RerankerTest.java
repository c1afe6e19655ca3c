package dev.localrag.core.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.index.SearchHit;
import dev.localrag.core.testing.LongestFirstReranker;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RerankerTest {

    @Test
    void rerankedHitsKeepEveryFieldButTheScore() {
        // given hits with metadata and vectors
        float[] vector = {1f, 0f};
        SearchHit shortHit = new SearchHit("/a.md", "A", 2, "short", 0.9, "text/markdown", Map.of("k", "v"), vector);
        SearchHit longHit = new SearchHit("/b.pdf", "B", 5, "a longer passage", 0.5, "application/pdf", Map.of(), null);

        // when they are reranked
        List<SearchHit> out = new LongestFirstReranker().rerank("q", List.of(shortHit, longHit), 2);

        // then the model's order and relevance count, and all else is the hit as retrieved
        assertThat(out).containsExactly(longHit.withScore(16), shortHit.withScore(5));
        assertThat(out.get(1).vector()).isSameAs(vector);
        assertThat(out.get(1).metadata()).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void noHitsAskTheModelNothing() {
        LongestFirstReranker reranker = new LongestFirstReranker();

        assertThat(reranker.rerank("q", List.of(), 3)).isEmpty();
        assertThat(reranker.batchSizes).isEmpty();
    }

    @Test
    void everyRerankerChecksItsArgumentsBeforeScoring() {
        // an HTTP reranker on a port where nothing listens: a call that got past the check would fail
        Reranker http = new HttpReranker("m", URI.create("http://127.0.0.1:9"), Duration.ofSeconds(1));

        assertThat(http.score("q", List.of())).isEmpty();
        assertThatThrownBy(() -> http.score(null, List.of("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query must not be null");
        assertThatThrownBy(() -> http.score("q", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("documents must not be null");
    }
}
