package dev.localrag.core.embed;

import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.ollama.OllamaClient;

/** Creates the {@link Embedder} a spec names. */
public final class Embedders {

    private Embedders() {}

    /** An embedder with its own Ollama client when it needs one. */
    public static Embedder create(EmbedderSpec spec, OllamaSettings ollama) {
        return switch (spec.provider()) {
            case ONNX -> OnnxEmbedder.create(spec);
            case OLLAMA -> OllamaEmbedder.create(spec, ollama);
            case OPENAI -> OpenAiEmbedder.create(spec, ollama, openAiKeyFromEnv());
        };
    }

    /**
     * An embedder that is created on first use (its {@link Embedder#dimension()} included): loading
     * the in-process model takes seconds, which an ingest that finds nothing to embed never pays.
     */
    public static Embedder lazy(EmbedderSpec spec, OllamaSettings ollama) {
        return new LazyEmbedder(spec, () -> create(spec, ollama));
    }

    /**
     * Like {@link #createShared}, created on first use (see {@link #lazy(EmbedderSpec,
     * OllamaSettings)}).
     */
    public static Embedder lazyShared(EmbedderSpec spec, OllamaClient client) {
        return new LazyEmbedder(spec, () -> createShared(spec, client));
    }

    /**
     * An embedder that shares {@code client} (and its request limiter) when it talks to Ollama; use
     * this where one process also generates answers from the same server.
     */
    public static Embedder createShared(EmbedderSpec spec, OllamaClient client) {
        return switch (spec.provider()) {
            case OLLAMA -> OllamaEmbedder.create(spec, client);
            default -> create(spec, client.settings());
        };
    }

    /** {@code OPENAI_API_KEY}, or a placeholder for local servers that need none. */
    public static String openAiKeyFromEnv() {
        String key = System.getenv("OPENAI_API_KEY");
        return key == null || key.isBlank() ? "not-needed" : key;
    }
}
