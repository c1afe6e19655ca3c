package dev.localrag.core.answer;

import dev.localrag.core.Checks;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.ollama.ChatResult;
import dev.localrag.core.ollama.OllamaClient;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams answers from Ollama's {@code /api/chat} through {@link OllamaClient}: retries before the
 * first token, an {@link dev.localrag.core.IncompleteAnswerException} (with the partial text) when
 * the stream breaks after it, and interrupting the calling thread closes the stream.
 */
public final class OllamaGenerator implements Generator, AutoCloseable {

    private final String model;
    private final OllamaClient client;
    private final boolean ownsClient;
    private volatile ChatResult last;

    /** A generator for {@code settings.chatModel()} with its own client. */
    public OllamaGenerator(OllamaSettings settings) {
        this(settings.chatModel(), new OllamaClient(settings), true);
    }

    /** A generator sharing {@code client} (and its request limiter); the client is not closed. */
    public OllamaGenerator(String model, OllamaClient client) {
        this(model, client, false);
    }

    private OllamaGenerator(String model, OllamaClient client, boolean ownsClient) {
        this.model = Checks.notBlank(model, "model");
        this.client = Checks.notNull(client, "client");
        this.ownsClient = ownsClient;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public String generate(String systemPrompt, String userPrompt, Consumer<String> onToken) {
        ChatResult result = client.chat(
                model,
                List.of(new OllamaClient.Message("system", systemPrompt), new OllamaClient.Message("user", userPrompt)),
                Map.of("temperature", 0.2),
                onToken);
        last = result;
        return result.text();
    }

    /** The last finished chat (done_reason, eval_count, time to first token), or null. */
    public ChatResult lastResult() {
        return last;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
