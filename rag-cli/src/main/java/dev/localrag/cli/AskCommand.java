package dev.localrag.cli;

import dev.localrag.core.OpenedIndex;
import dev.localrag.core.answer.Answer;
import dev.localrag.core.answer.AnswerHandler;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.Generator;
import dev.localrag.core.answer.OllamaGenerator;
import dev.localrag.core.answer.Source;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.ollama.OllamaStatus;
import dev.localrag.core.retrieval.Retriever;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
                    + " are printed as the answer, with their citations."
        })
final class AskCommand implements Callable<Integer> {

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "QUESTION", description = "The question (words are joined).")
    List<String> question;

    @Option(names = "-k", paramLabel = "N", description = "How many passages to retrieve (default: from config, 5).")
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

    @Option(
            names = "--json",
            description =
                    "Print one JSON object: {answer, kind, model, sources:[{n, path, title, chunk, score, text}]}.")
    boolean json;

    /** --json output; field names are a public contract. */
    record JsonAnswer(String answer, String kind, String model, String notice, List<JsonSource> sources) {}

    record JsonSource(int n, String path, String title, int chunk, double score, String text) {}

    @Override
    public Integer call() {
        CliEnvironment environment = parent.environment();
        PrintWriter out = environment.out();
        PrintWriter err = environment.err();
        RagConfig config = common.resolve(environment);
        if (model != null) {
            config = config.withOllama(config.ollama().withChatModel(model));
        }
        int topK = k != null ? k : config.topK();
        try (OpenedIndex opened = OpenedIndex.forReading(config)) {
            OllamaStatus status =
                    new OllamaProbe(config.ollama()).check();
            String chatModel = config.ollama().chatModel();
            Generator generator = null;
            String notice;
            if (!status.reachable()) {
                notice = "Generated answers need Ollama, which is not running at " + status.baseUrl()
                        + ": start it with `ollama serve` (or set OLLAMA_HOST) and `ollama pull " + chatModel
                        + "`. Showing the retrieved passages instead.";
            } else if (!status.hasModel(chatModel)) {
                notice = "Generated answers need the chat model " + chatModel + ", which Ollama at "
                        + status.baseUrl() + " does not have: run `ollama pull " + chatModel
                        + "`. Showing the retrieved passages instead.";
            } else {
                notice = "";
                generator = new OllamaGenerator(config.ollama());
            }
            AnswerService service =
                    new AnswerService(new Retriever(opened.index(), opened.embedder()), generator, notice);
            Answer answer = service.ask(
                    String.join(" ", question), mode, topK, json ? new AnswerHandler() {} : new Streamer(out));
            if (answer.kind() == Answer.Kind.EXTRACTIVE && !answer.notice().isEmpty()) {
                err.println(answer.notice());
            }
            if (json) {
                out.println(Json.write(toJson(answer)));
            } else {
                printHuman(environment, answer);
            }
        }
        return ExitCode.OK;
    }

    /** Prints tokens as they arrive. */
    private record Streamer(PrintWriter out) implements AnswerHandler {
        @Override
        public void onToken(String token) {
            out.print(token);
            out.flush();
        }
    }

    private static void printHuman(CliEnvironment environment, Answer answer) {
        PrintWriter out = environment.out();
        if (answer.kind() == Answer.Kind.EXTRACTIVE) {
            out.println(displayPaths(environment, answer));
            return;
        }
        out.println();
        out.println();
        out.println("Sources:");
        for (Source s : answer.sources()) {
            out.printf(
                    Locale.ROOT,
                    "  [%d] %s (chunk %d, score %.4f)%n",
                    s.n(),
                    environment.display(s.path()),
                    s.chunk(),
                    s.score());
        }
    }

    /** The extractive answer with each source's path shown relative to the working directory. */
    private static String displayPaths(CliEnvironment environment, Answer answer) {
        String text = answer.text();
        for (Source s : answer.sources()) {
            text = text.replace("] " + s.path() + " (chunk", "] " + environment.display(s.path()) + " (chunk");
        }
        return text;
    }

    private static JsonAnswer toJson(Answer answer) {
        List<JsonSource> sources = new ArrayList<>();
        for (Source s : answer.sources()) {
            sources.add(new JsonSource(s.n(), s.path(), s.title(), s.chunk(), s.score(), s.text()));
        }
        return new JsonAnswer(
                answer.text(), answer.kind().name().toLowerCase(Locale.ROOT), answer.model(), answer.notice(), sources);
    }
}
