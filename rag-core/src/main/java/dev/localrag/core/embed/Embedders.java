package dev.localrag.core.embed;

import dev.localrag.core.config.OllamaSettings;

/** Creates the {@link Embedder} a spec names. */
public final class Embedders {

    private Embedders() {}

    public static Embedder create(EmbedderSpec spec, OllamaSettings ollama) {
        return switch (spec.provider()) {
            case ONNX -> OnnxEmbedder.create(spec);
            case OLLAMA -> OllamaEmbedder.create(spec, ollama);
        };
    }
}
