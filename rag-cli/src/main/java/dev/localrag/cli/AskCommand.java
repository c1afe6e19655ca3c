package dev.localrag.cli;

import dev.localrag.core.Answering;
import dev.localrag.core.OpenedIndex;
import dev.localrag.core.answer.Answer;
import dev.localrag.core.answer.AnswerHandler;
import dev.localrag.core.answer.AnswerRequest;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.IncompleteAnswerException;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.SearchMode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "ask",
        mixinStandardHelpOptions = true,
        description = {
            "Answer a question from your documents, with numbered citations [n] to the passages used.",
            "The answer streams from Ollama's chat model when Ollama runs; otherwise the retrieved passages"
                    + " are printed as the answer, with their citations. When nothing relevant is found, it says so"
                    + " without calling the model."
        })
final class AskCommand implements Callable<Integer> {

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    @Mixin
    AnswerOptions answerOptions;

    @Parameters(arity = "1..*", paramLabel = "QUESTION", description = "The question (words are joined).")
    List<String> question;

    @Option(
            names = "--json",
            description =
                    "Print one JSON object: {answer, kind, model, notice, complete, citations, sources, timings}.")
    boolean json;

    @Override
    public Integer call() {
        CliEnvironment environment = parent.environment();
        RagConfig config = answerOptions.apply(common.resolve(environment));
        AnswerPrinter printer = new AnswerPrinter(environment);
        try (OpenedIndex opened = OpenedIndex.forReading(config)) {
            AnswerService service = Answering.create(config, opened);
            AnswerRequest request = answerOptions.request(String.join(" ", question), config);
            Answer answer;
            try {
                answer = service.ask(request, json ? new AnswerHandler() {} : printer.streaming());
            } catch (IncompleteAnswerException e) {
                if (json) {
                    environment.out().println(Json.write(AnswerPrinter.json(e.partial())));
                } else {
                    printer.finish(e.partial());
                }
                throw e;
            }
            if (answer.kind() == Answer.Kind.EXTRACTIVE && !answer.notice().isEmpty()) {
                environment.err().println(answer.notice());
            }
            if (json) {
                environment.out().println(Json.write(AnswerPrinter.json(answer)));
            } else {
                printer.finish(answer);
            }
        }
        return ExitCode.OK;
    }

    /** Options ask and chat share. */
    static final class AnswerOptions {
        @Option(
                names = "-k",
                paramLabel = "N",
                description = "How many passages to retrieve (default: config topK, 6).")
        Integer k;

        @Option(
                names = "--mode",
                paramLabel = "MODE",
                description = "Retrieval: vector, keyword or hybrid (default: ${DEFAULT-VALUE}).",
                converter = SearchModeConverter.class)
        SearchMode mode = SearchMode.HYBRID;

        @Option(
                names = "--model",
                paramLabel = "NAME",
                description = "Ollama chat model (default: " + OllamaSettings.DEFAULT_CHAT_MODEL + ").")
        String model;

        @Option(names = "--show-thinking", description = "Show the model's <think> text (hidden by default).")
        boolean showThinking;

        RagConfig apply(RagConfig config) {
            return model == null ? config : config.withOllama(config.ollama().withChatModel(model));
        }

        AnswerRequest request(String question, RagConfig config) {
            return AnswerRequest.of(question)
                    .withMode(mode)
                    .withK(k != null ? k : config.topK())
                    .withShowThinking(showThinking);
        }
    }
}
