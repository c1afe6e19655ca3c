package dev.localrag.core.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.index.SearchHit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX cross-encoder reranker with a tiny model written by {@link TinyCrossEncoder}: tests that
 * the model and tokenizer load through LangChain4j's scoring model and that its scores order the
 * passages, not how good a real cross-encoder is (no weights can be downloaded here).
 */
class OnnxRerankerTest {

    private static final List<String> VOCABULARY =
            List.of("quokka", "quokkas", "live", "on", "rottnest", "island", "the", "a", "cat", "sleeps");

    @TempDir
    Path tmp;

    @Test
    void passagesAreOrderedByTheModelsLogits() throws IOException {
        // given a model whose logit counts "quokka" tokens
        Path dir = TinyCrossEncoder.write(tmp.resolve("model"), VOCABULARY, "quokka");

        try (OnnxReranker reranker = OnnxReranker.parse("onnx:" + dir)) {
            // when three passages are scored
            List<Reranker.Ranked> ranked =
                    reranker.score("quokka", List.of("the cat sleeps", "quokka quokka on rottnest island", "a quokka"));

            // then the one saying quokka most often is first; each logit is the count (query's one included)
            assertThat(ranked)
                    .containsExactly(
                            new Reranker.Ranked(1, 3.0), new Reranker.Ranked(2, 2.0), new Reranker.Ranked(0, 1.0));
            assertThat(reranker.describe()).isEqualTo("onnx:" + dir.resolve("model.onnx"));
        }
    }

    @Test
    void hitsAreRerankedThroughTheReranker() throws IOException {
        Path dir = TinyCrossEncoder.write(tmp.resolve("model"), VOCABULARY, "quokka");
        List<SearchHit> hits = List.of(
                new SearchHit("/d/cat.md", "Cats", 0, "the cat sleeps", 0.9),
                new SearchHit("/d/quokka.md", "Quokkas", 0, "quokka on rottnest island", 0.8));

        try (Reranker reranker = Rerankers.parse("onnx:" + dir.resolve("model.onnx"), null, null)) {
            List<SearchHit> out = reranker.rerank("where do quokka live", hits, 1);

            assertThat(out).extracting(SearchHit::documentId).containsExactly("/d/quokka.md");
            assertThat(out.getFirst().score()).isEqualTo(2.0);
        }
    }

    @Test
    void aMissingModelOrTokenizerIsAClearError() throws IOException {
        assertThatThrownBy(() -> OnnxReranker.parse("onnx:" + tmp.resolve("nothing.onnx")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nothing.onnx does not exist");
        Path lone = Files.write(tmp.resolve("lone.onnx"), new byte[] {1});
        assertThatThrownBy(() -> OnnxReranker.parse("onnx:" + lone))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no tokenizer.json beside it");
        Files.writeString(tmp.resolve("tokenizer.json"), "{}");
        assertThatThrownBy(() -> OnnxReranker.parse("onnx:" + lone))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Cannot load the reranking model");
        assertThatThrownBy(() -> Rerankers.parse("bge-reranker", null, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("onnx:PATH");
        assertThatThrownBy(() -> Rerankers.parse("chat", null, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("needs a chat model");
    }
}
