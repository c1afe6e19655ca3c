package dev.localrag.core.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A chat model that writes an answer from a prompt, streaming it token by token. */
public interface Generator {

    /** The model's name, e.g. {@code qwen3:4b-instruct-2507-q4_K_M}. */
    String model();

    /**
     * Streams the answer to {@code onToken} and returns the whole text when the model is done.
     *
     * @throws dev.localrag.core.ModelUnavailableException when the model cannot be reached
     */
    default String generate(String systemPrompt, String userPrompt, Consumer<String> onToken) {
        return stream(systemPrompt, List.of(), userPrompt, onToken, Cancellation.none())
                .text();
    }

    /**
     * Streams an answer to {@code onToken}: system prompt, earlier turns, then the user message.
     * When {@code cancellation} fires, the upstream stream is closed and the result is incomplete.
     *
     * @throws dev.localrag.core.ModelUnavailableException when the model cannot be reached or the
     *     stream breaks
     */
    Generation stream(
            String systemPrompt,
            List<Turn> history,
            String userMessage,
            Consumer<String> onToken,
            Cancellation cancellation);

    /** Runs a short, non-streamed prompt (e.g. condensing a follow-up question). */
    default String complete(String systemPrompt, String userMessage) {
        List<String> parts = new ArrayList<>();
        stream(systemPrompt, List.of(), userMessage, parts::add, Cancellation.none());
        return String.join("", parts);
    }
}
