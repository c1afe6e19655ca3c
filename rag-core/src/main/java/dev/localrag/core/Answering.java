package dev.localrag.core;

import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.Generator;
import dev.localrag.core.answer.OllamaGenerator;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.ollama.OllamaStatus;
import dev.localrag.core.retrieval.Retriever;

/**
 * Builds the {@link AnswerService} for an open index: with Ollama's chat model when Ollama runs
 * and has it, else extractive, with a notice that says how to get generated answers.
 */
public final class Answering {

    private Answering() {}

    public static AnswerService create(RagConfig config, OpenedIndex opened) {
        OllamaStatus status =
                new OllamaProbe(config.ollama().baseUrl(), config.ollama().probeTimeout()).check();
        String chatModel = config.ollama().chatModel();
        Generator generator = null;
        String notice = "";
        if (!status.reachable()) {
            notice = "Generated answers need Ollama, which is not running at " + status.baseUrl()
                    + ": start it with `ollama serve` (or set OLLAMA_HOST) and `ollama pull " + chatModel
                    + "`. Showing the retrieved passages instead.";
        } else if (!status.hasModel(chatModel)) {
            notice = "Generated answers need the chat model " + chatModel + ", which Ollama at " + status.baseUrl()
                    + " does not have: run `ollama pull " + chatModel + "`. Showing the retrieved passages instead.";
        } else {
            generator = new OllamaGenerator(config.ollama(), config.answer().contextTokens());
        }
        return new AnswerService(new Retriever(opened.index(), opened.embedder()), generator, notice, config.answer());
    }
}
