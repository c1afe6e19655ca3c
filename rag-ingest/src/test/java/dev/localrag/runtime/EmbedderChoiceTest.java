package dev.localrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexMismatchException;
import dev.localrag.core.ollama.OllamaStatus;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedderChoiceTest {

    private static final URI HOST = URI.create("http://127.0.0.1:11434");

    @TempDir
    Path home;

    @Test
    void newIndexUsesOllamaWhenItIsReachableAndHasTheModel() {
        OllamaStatus up = new OllamaStatus(HOST, true, "0.12", List.of("qwen3-embedding:0.6b-q8_0"), null);

        EmbedderChoice choice = EmbedderChoice.resolve(config(null), null, () -> up);

        assertThat(choice.spec()).hasToString("ollama:qwen3-embedding:0.6b-q8_0");
        assertThat(choice.notice()).contains("Ollama embeddings");
    }

    @Test
    void newIndexFallsBackToInProcessWithANoticeWhenOllamaIsDown() {
        OllamaStatus down = new OllamaStatus(HOST, false, "", List.of(), "refused");

        EmbedderChoice choice = EmbedderChoice.resolve(config(null), null, () -> down);

        assertThat(choice.spec()).isEqualTo(EmbedderSpec.DEFAULT_ONNX);
        assertThat(choice.notice()).contains("not reachable at " + HOST).contains("onnx:bge-small-en-v1.5");
    }

    @Test
    void newIndexFallsBackWithThePullCommandWhenTheModelIsMissing() {
        OllamaStatus noModel = new OllamaStatus(HOST, true, "0.12", List.of("llama3.2:latest"), null);

        EmbedderChoice choice = EmbedderChoice.resolve(config(null), null, () -> noModel);

        assertThat(choice.spec()).isEqualTo(EmbedderSpec.DEFAULT_ONNX);
        assertThat(choice.notice()).contains("ollama pull qwen3-embedding:0.6b-q8_0");
    }

    @Test
    void existingIndexUsesItsOwnEmbedderWithoutAskingOllama() {
        IndexManifest manifest = IndexManifest.of(EmbedderSpec.DEFAULT_ONNX, 384, "recursive:400/50");

        EmbedderChoice choice = EmbedderChoice.resolve(config(null), manifest, () -> {
            throw new AssertionError("must not probe Ollama");
        });

        assertThat(choice.spec()).isEqualTo(EmbedderSpec.DEFAULT_ONNX);
        assertThat(choice.notice()).isEmpty();
    }

    @Test
    void askingAnExistingIndexForAnotherEmbedderNamesBoth() {
        IndexManifest manifest = IndexManifest.of(EmbedderSpec.DEFAULT_ONNX, 384, "recursive:400/50");

        assertThatThrownBy(() -> EmbedderChoice.resolve(config("ollama:nomic-embed-text"), manifest, () -> null))
                .isInstanceOf(IndexMismatchException.class)
                .hasMessageContaining("onnx:bge-small-en-v1.5")
                .hasMessageContaining("ollama:nomic-embed-text");
    }

    private RagConfig config(String embedder) {
        return new ConfigLoader(Map.of(), home).load(null).withEmbedder(embedder);
    }
}
