package dev.localrag.core.answer;

import dev.localrag.core.Internal;
import dev.localrag.core.config.AnswerSettings;
import dev.localrag.core.config.ChatModelSpec;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.embed.Embedders;
import dev.localrag.core.ollama.OllamaClient;

/**
 * Creates the {@link Generator} a {@link ChatModelSpec} names: Ollama's native API, or an
 * OpenAI-compatible server.
 */
@Internal
public final class Generators {

    private Generators() {}

    /** Like {@link #create(OllamaSettings, OllamaClient, int)} with the default context window. */
    public static Generator create(OllamaSettings settings, OllamaClient client) {
        return create(settings, client, AnswerSettings.DEFAULT.contextTokens());
    }

    /**
     * A generator for {@code settings.chatModel()}, sharing {@code client} when it is Ollama's.
     *
     * @param contextTokens the context window to run an Ollama model with ({@code num_ctx})
     */
    public static Generator create(OllamaSettings settings, OllamaClient client, int contextTokens) {
        ChatModelSpec spec = settings.chatModel();
        return switch (spec.provider()) {
            case OLLAMA -> new OllamaGenerator(spec.model(), client, contextTokens);
            case OPENAI -> new OpenAiGenerator(spec.openAiTarget(), settings, Embedders.openAiKeyFromEnv());
        };
    }
}
