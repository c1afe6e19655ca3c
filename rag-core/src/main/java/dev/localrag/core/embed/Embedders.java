package dev.localrag.core.embed;

import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.ollama.OllamaClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

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
        if (spec.provider() != EmbedderSpec.Provider.ONNX
                && !client.settings().embeddingHosts().isEmpty()) {
            return new LazyEmbedder(spec, () -> pooled(spec, client.settings()));
        }
        return new LazyEmbedder(spec, () -> createShared(spec, client));
    }

    /**
     * Starts loading an embedder made by {@link #lazy} or {@link #lazyShared} on a background thread,
     * for a caller that embeds soon: a search loads the in-process model while it opens the index.
     * Its first use waits for the load (and throws what the load threw). Other embedders: nothing.
     */
    public static void startLoading(Embedder embedder) {
        if (embedder instanceof LazyEmbedder lazy) {
            lazy.startLoading();
        }
    }

    /**
     * An embedder over every server of {@code ollama.hosts} ({@link OllamaSettings#embeddingHosts()}),
     * each with its own client and {@code maxInFlight}: batches go to the least busy, a failing
     * server's batches to the others ({@link PooledEmbedder}). For an Ollama spec the hosts are Ollama
     * servers; for {@code openai:MODEL@URL} they are OpenAI-compatible base URLs serving MODEL (the
     * spec's URL then only names the model's origin, as recorded in the index).
     *
     * @throws dev.localrag.core.ConfigurationException for an in-process (onnx) spec, which has no servers
     */
    public static Embedder pooled(EmbedderSpec spec, OllamaSettings settings) {
        List<PooledEmbedder.Member> members = new ArrayList<>();
        for (URI host : settings.embeddingHosts()) {
            Embedder member = switch (spec.provider()) {
                case OLLAMA -> OllamaEmbedder.create(spec, settings.withBaseUrl(host));
                case OPENAI -> OpenAiEmbedder.create(spec, host, settings, openAiKeyFromEnv());
                case ONNX ->
                    throw new dev.localrag.core.ConfigurationException("ollama.hosts lists embedding servers,"
                            + " but " + spec + " runs in-process: remove ollama.hosts or use an ollama: or"
                            + " openai: embedder.");
            };
            members.add(new PooledEmbedder.Member(host.toString(), member, settings.maxInFlight()));
        }
        return new PooledEmbedder(members);
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
