package dev.localrag.core;

import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.Generator;
import dev.localrag.core.answer.Generators;
import dev.localrag.core.answer.OllamaGenerator;
import dev.localrag.core.config.AnswerSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.ollama.OllamaStatus;
import dev.localrag.core.retrieval.Retriever;

/**
 * Builds the {@link AnswerService} for an open index: with the configured chat model when it can
 * be reached (an OpenAI-compatible {@code openai:MODEL@URL}, or Ollama when it runs and has the
 * model), else extractive, with a notice that says how to get generated answers.
 */
public final class Answering {

    private Answering() {}

    /**
     * @param client the Ollama client (and request limiter) to share; the caller closes it
     */
    public static AnswerService create(RagConfig config, OpenedIndex opened, OllamaClient client) {
        String spec = config.ollama().chatModel();
        Generator generator = null;
        String notice = "";
        if (Generators.provider(spec) == Generators.Provider.OPENAI) {
            generator = generator(config, client);
        } else {
            String model = Generators.ollamaModel(spec);
            OllamaStatus status = new OllamaProbe(config.ollama()).check();
            if (!status.reachable()) {
                notice = "Generated answers need Ollama, which is not running at " + status.baseUrl()
                        + ": start it with `ollama serve` (or set OLLAMA_HOST) and `ollama pull " + model
                        + "`. Showing the retrieved passages instead.";
            } else if (!status.hasModel(model)) {
                notice = "Generated answers need the chat model " + model + ", which Ollama at " + status.baseUrl()
                        + " does not have: run `ollama pull " + model
                        + "` (or pass --pull). Showing the retrieved passages instead.";
            } else {
                generator = generator(config, client);
            }
        }
        return create(config, new Retriever(opened.index(), opened.embedder()), generator, notice);
    }

    /**
     * The configured chat model, without checking that it can be reached (a long-running caller
     * checks per request and passes null to {@link #create(RagConfig, Retriever, Generator, String)}
     * while it cannot).
     *
     * @param client the Ollama client (and request limiter) to share; the caller closes it
     */
    public static Generator generator(RagConfig config, OllamaClient client) {
        String spec = config.ollama().chatModel();
        if (Generators.provider(spec) == Generators.Provider.OPENAI) {
            return Generators.create(config.ollama(), client);
        }
        return new OllamaGenerator(
                Generators.ollamaModel(spec), client, config.answer().contextTokens());
    }

    /**
     * An answer service over {@code retriever} with the config's answer settings, budgeted for the
     * context window {@code generator} runs with.
     *
     * @param generator the chat model, or null to answer extractively
     * @param notice why there is no generator (shown with extractive answers)
     */
    public static AnswerService create(RagConfig config, Retriever retriever, Generator generator, String notice) {
        AnswerSettings settings = config.answer();
        if (generator instanceof OllamaGenerator ollama && ollama.contextTokens() != settings.contextTokens()) {
            // the config's per-model num_ctx is what the model runs with: budget for that
            settings = new AnswerSettings(
                    ollama.contextTokens(),
                    Math.min(settings.answerReserveTokens(), ollama.contextTokens() / 2),
                    settings.minRelevance(),
                    settings.condenseFollowUps());
        }
        return new AnswerService(retriever, generator, notice, settings);
    }
}
