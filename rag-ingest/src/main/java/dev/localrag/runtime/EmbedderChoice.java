package dev.localrag.runtime;

import dev.localrag.core.Internal;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.ollama.OllamaStatus;
import java.util.function.Supplier;

/**
 * Which embedder to use, and a one-line notice for the user when it was chosen for them.
 *
 * <p>An existing index always uses the embedder that built it (asking for another is an error). A
 * new index uses the configured one; else Ollama's embedding model when Ollama is reachable and
 * has it; else the in-process {@code onnx:bge-small-en-v1.5}.
 */
@Internal
public record EmbedderChoice(EmbedderSpec spec, String notice) {

    public static EmbedderChoice resolve(RagConfig config, IndexManifest existing, Supplier<OllamaStatus> ollama) {
        String dir = config.index().toString();
        if (existing != null) {
            config.embedderSpec().map(EmbedderSpec::parse).ifPresent(wanted -> existing.checkEmbedder(dir, wanted));
            return new EmbedderChoice(existing.embedder(), "");
        }
        if (config.embedderSpec().isPresent()) {
            return new EmbedderChoice(EmbedderSpec.parse(config.embedder()), "");
        }
        OllamaStatus status = ollama.get();
        String model = config.ollama().embeddingModel();
        if (status.reachable() && status.hasModel(model)) {
            return new EmbedderChoice(
                    new EmbedderSpec(EmbedderSpec.Provider.OLLAMA, model),
                    "Creating a new index with Ollama embeddings (ollama:" + model + ").");
        }
        String why = status.reachable()
                ? "Ollama at " + status.baseUrl() + " does not have " + model + " (run `ollama pull " + model + "`)"
                : "Ollama is not reachable at " + status.baseUrl();
        return new EmbedderChoice(
                EmbedderSpec.DEFAULT_ONNX,
                why + "; creating the index with the in-process embedder " + EmbedderSpec.DEFAULT_ONNX
                        + " (use --embedder to choose).");
    }
}
