package dev.localrag.core.config;

import dev.localrag.core.ConfigurationException;
import java.net.URI;
import java.util.Locale;

/**
 * Names the chat model that writes answers, parsed once from {@code ollama.chatModel} or {@code
 * --model}: {@code MODEL} or {@code ollama:MODEL} for Ollama's native API at {@link
 * OllamaSettings#baseUrl()}, {@code openai:MODEL@URL} for an OpenAI-compatible server.
 *
 * @param provider where the model runs
 * @param model the model name that server knows
 * @param baseUrl the OpenAI-compatible API root; null for Ollama (its address is the settings')
 */
public record ChatModelSpec(Provider provider, String model, URI baseUrl) {

    /** Where a chat model runs. */
    public enum Provider {
        /** Ollama's native {@code /api/chat}. */
        OLLAMA,
        /** An OpenAI-compatible server's {@code /v1/chat/completions}. */
        OPENAI
    }

    public ChatModelSpec {
        if (provider == null || model == null || model.isBlank()) {
            throw new IllegalArgumentException("chat model provider and model must be set");
        }
        if ((provider == Provider.OPENAI) != (baseUrl != null)) {
            throw new IllegalArgumentException("an openai chat model has a base URL, an ollama one has none");
        }
    }

    /** An Ollama model. */
    public static ChatModelSpec ollama(String model) {
        return new ChatModelSpec(Provider.OLLAMA, model, null);
    }

    /**
     * @throws ConfigurationException naming the spec and the accepted forms when it is malformed
     */
    public static ChatModelSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new ConfigurationException("The chat model (ollama.chatModel, --model) is empty. Use an Ollama model"
                    + " name such as " + OllamaSettings.DEFAULT_CHAT_MODEL + ", or openai:MODEL@URL.");
        }
        String s = spec.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("openai:")) {
            OpenAiTarget target = OpenAiTarget.parse(s.substring("openai:".length()));
            if (target.model().isBlank()) {
                throw new ConfigurationException("Chat model \"" + spec + "\" names no model: use openai:MODEL@URL.");
            }
            return new ChatModelSpec(Provider.OPENAI, target.model(), target.baseUrl());
        }
        String model =
                lower.startsWith("ollama:") ? s.substring("ollama:".length()).strip() : s;
        if (model.isEmpty()) {
            throw new ConfigurationException("Chat model \"" + spec + "\" names no model: use ollama:MODEL or MODEL.");
        }
        return ollama(model);
    }

    /** The server and model of an {@code openai:} spec. */
    public OpenAiTarget openAiTarget() {
        if (provider != Provider.OPENAI) {
            throw new IllegalStateException("not an openai chat model: " + this);
        }
        return new OpenAiTarget(model, baseUrl);
    }

    /** The spec as written: the bare model name for Ollama, {@code openai:MODEL@URL} otherwise. */
    @Override
    public String toString() {
        return provider == Provider.OLLAMA ? model : "openai:" + model + "@" + baseUrl;
    }
}
