package dev.localrag.core.answer;

import dev.localrag.core.Checks;
import dev.localrag.core.Internal;
import dev.localrag.core.OperationCancelledException;
import dev.localrag.core.config.AnswerSettings;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.ollama.ChatResult;
import dev.localrag.core.ollama.OllamaClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams answers from Ollama's {@code /api/chat} through {@link OllamaClient}: retries before the
 * first token, an {@link dev.localrag.core.IncompleteAnswerException} (with the partial text) when
 * the stream breaks after it. A {@link Cancellation} interrupts the streaming thread, which closes
 * the HTTP stream to Ollama.
 */
@Internal
public final class OllamaGenerator implements Generator, AutoCloseable {

    private final String model;
    private final OllamaClient client;
    private final boolean ownsClient;
    private final int contextTokens;
    private volatile ChatResult last;

    /** A generator for {@code settings.chatModel()} with its own client and the default context. */
    public OllamaGenerator(OllamaSettings settings) {
        this(settings, AnswerSettings.DEFAULT.contextTokens());
    }

    /**
     * @param contextTokens the context window to ask for ({@code num_ctx}) unless the config sets
     *     one for this model; prompts are budgeted to fit it, so Ollama never cuts them silently
     */
    public OllamaGenerator(OllamaSettings settings, int contextTokens) {
        this(ollamaModel(settings), new OllamaClient(settings), true, contextTokens);
    }

    /** A generator sharing {@code client} (and its request limiter); the client is not closed. */
    public OllamaGenerator(String model, OllamaClient client) {
        this(model, client, false, AnswerSettings.DEFAULT.contextTokens());
    }

    public OllamaGenerator(String model, OllamaClient client, int contextTokens) {
        this(model, client, false, contextTokens);
    }

    private static String ollamaModel(OllamaSettings settings) {
        if (settings.chatModel().provider() != dev.localrag.core.config.ChatModelSpec.Provider.OLLAMA) {
            throw new IllegalArgumentException("not an Ollama chat model: " + settings.chatModel());
        }
        return settings.chatModel().model();
    }

    private OllamaGenerator(String model, OllamaClient client, boolean ownsClient, int contextTokens) {
        this.model = Checks.notBlank(model, "model");
        this.client = Checks.notNull(client, "client");
        this.ownsClient = ownsClient;
        this.contextTokens = Checks.positive(contextTokens, "contextTokens");
    }

    @Override
    public String model() {
        return model;
    }

    /** The context window the model runs with: the config's num_ctx for it, else ours. */
    public int contextTokens() {
        int configured = client.settings().numCtxFor(model);
        return configured > 0 ? configured : contextTokens;
    }

    @Override
    public Generation stream(
            String systemPrompt,
            List<Turn> history,
            String userMessage,
            Consumer<String> onToken,
            Cancellation cancellation) {
        List<OllamaClient.Message> messages = new ArrayList<>();
        messages.add(new OllamaClient.Message("system", systemPrompt));
        for (Turn turn : history) {
            messages.add(
                    new OllamaClient.Message(turn.role() == Turn.Role.USER ? "user" : "assistant", turn.content()));
        }
        messages.add(new OllamaClient.Message("user", userMessage));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("temperature", 0.2);
        options.put("num_ctx", contextTokens()); // the client's per-model setting, when set, wins
        StringBuilder text = new StringBuilder();
        Thread streaming = Thread.currentThread();
        cancellation.onCancel(streaming::interrupt);
        try {
            ChatResult result = client.chat(model, messages, options, token -> {
                text.append(token);
                onToken.accept(token);
            });
            last = result;
            return new Generation(result.text(), true, result.evalCount() > 0 ? result.evalCount() : -1);
        } catch (OperationCancelledException e) {
            if (!cancellation.isCancelled()) {
                throw e; // interrupted by someone else: let them see it
            }
            Thread.interrupted(); // our own interrupt has done its job
            return new Generation(text.toString(), false, -1);
        }
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
