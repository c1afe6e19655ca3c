package dev.localrag.core.answer;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.embed.OpenAiTarget;
import dev.localrag.core.ollama.OllamaClient;
import java.util.Locale;

/**
 * Creates the {@link Generator} a chat-model spec names: {@code MODEL} or {@code ollama:MODEL} for
 * Ollama's native API, {@code openai:MODEL@URL} for an OpenAI-compatible server.
 */
public final class Generators {

    private Generators() {}

    /** Which provider a chat-model spec names. */
    public enum Provider {
        OLLAMA,
        OPENAI
    }

    public static Provider provider(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("openai:")) {
            return Provider.OPENAI;
        }
        return Provider.OLLAMA;
    }

    /** The Ollama model name in a spec ({@code ollama:} dropped). */
    public static String ollamaModel(String spec) {
        String s = spec.strip();
        return s.toLowerCase(Locale.ROOT).startsWith("ollama:") ? s.substring("ollama:".length()) : s;
    }

    /** A generator for {@code settings.chatModel()}, sharing {@code client} when it is Ollama's. */
    public static Generator create(OllamaSettings settings, OllamaClient client) {
        String spec = settings.chatModel();
        return switch (provider(spec)) {
            case OLLAMA -> {
                String model = ollamaModel(spec);
                if (model.isBlank()) {
                    throw new ConfigurationException("Chat model spec \"" + spec + "\" names no model.");
                }
                yield new OllamaGenerator(model, client);
            }
            case OPENAI ->
                new OpenAiGenerator(
                        OpenAiTarget.parse(spec.strip().substring("openai:".length())),
                        settings,
                        dev.localrag.core.embed.Embedders.openAiKeyFromEnv());
        };
    }
}
