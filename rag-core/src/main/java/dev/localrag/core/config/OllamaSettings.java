package dev.localrag.core.config;

import dev.localrag.core.Checks;
import java.net.URI;
import java.time.Duration;

/**
 * How to reach Ollama.
 *
 * @param baseUrl server URL, from {@code OLLAMA_HOST} as Ollama's clients read it
 * @param chatModel model that writes answers
 * @param embeddingModel model used when a new index is created with Ollama embeddings
 * @param timeout longest a single request may take
 * @param probeTimeout how long "is Ollama there?" may take before we fall back
 */
public record OllamaSettings(
        URI baseUrl, String chatModel, String embeddingModel, Duration timeout, Duration probeTimeout) {

    public static final String DEFAULT_CHAT_MODEL = "qwen3:4b-instruct-2507-q4_K_M";
    public static final String DEFAULT_EMBEDDING_MODEL = "qwen3-embedding:0.6b-q8_0";

    public OllamaSettings {
        Checks.notNull(baseUrl, "ollama.host");
        Checks.notBlank(chatModel, "ollama.chatModel");
        Checks.notBlank(embeddingModel, "ollama.embeddingModel");
        Checks.notNull(timeout, "ollama.timeoutSeconds");
        Checks.notNull(probeTimeout, "ollama.probeTimeoutMillis");
    }

    public OllamaSettings withBaseUrl(URI url) {
        return new OllamaSettings(url, chatModel, embeddingModel, timeout, probeTimeout);
    }

    public OllamaSettings withChatModel(String model) {
        return new OllamaSettings(baseUrl, model, embeddingModel, timeout, probeTimeout);
    }
}
