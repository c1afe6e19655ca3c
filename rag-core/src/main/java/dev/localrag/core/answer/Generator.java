package dev.localrag.core.answer;

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
    String generate(String systemPrompt, String userPrompt, Consumer<String> onToken);
}
