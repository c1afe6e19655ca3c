package dev.localrag.cli;

import dev.localrag.core.IncompleteAnswerException;
import dev.localrag.core.OpenedIndex;
import dev.localrag.core.answer.Answer;
import dev.localrag.core.answer.AnswerHandler;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.Generator;
import dev.localrag.core.answer.Generators;
import dev.localrag.core.answer.Source;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.ollama.OllamaClient;
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
            description = "Chat model: an Ollama model name (default: " + OllamaSettings.DEFAULT_CHAT_MODEL
                    + ") or openai:MODEL@URL for an OpenAI-compatible server.")
    String model;

    @Option(
            names = "--json",
            description = "Print one JSON object: {answer, kind, model, notice, sources:[{n, path, title, chunk, score,"
                    + " text}]}; kind is generated, extractive, or incomplete (the stream broke off; exit 1).")
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
        String chatSpec = config.ollama().chatModel();
        boolean native_ = Generators.provider(chatSpec) == Generators.Provider.OLLAMA;
        String chatModel = native_ ? Generators.ollamaModel(chatSpec) : chatSpec;
        OllamaStatus status = new OllamaProbe(config.ollama()).check();
        if (native_) {
            status = ModelPuller.ensure(config.ollama(), status, chatModel, err);
        }
        try (OpenedIndex opened = OpenedIndex.forReading(config);
                OllamaClient client = new OllamaClient(config.ollama(), ModelPuller.progress(err))) {
            Generator generator = null;
            String notice = "";
            if (!native_) {
                generator = Generators.create(config.ollama(), client);
            } else if (!status.reachable()) {
                notice = "Generated answers need Ollama, which is not running at " + status.baseUrl()
                        + ": start it with `ollama serve` (or set OLLAMA_HOST) and `ollama pull " + chatModel
                        + "`. Showing the retrieved passages instead.";
            } else if (!status.hasModel(chatModel)) {
                notice = "Generated answers need the chat model " + chatModel + ", which Ollama at "
                        + status.baseUrl() + " does not have: run `ollama pull " + chatModel
                        + "` (or pass --pull). Showing the retrieved passages instead.";
            } else {
                generator = Generators.create(config.ollama(), client);
            }
            AnswerService service =
                    new AnswerService(new Retriever(opened.index(), opened.embedder()), generator, notice);
            Answer answer;
            try (Cancellation ignored = Cancellation.onShutdown()) {
                answer = service.ask(
                        String.join(" ", question), mode, topK, json ? new AnswerHandler() {} : new Streamer(out));
            } catch (IncompleteAnswerException e) {
                if (json) {
                    out.println(Json.write(
                            new JsonAnswer(e.partialText(), "incomplete", chatModel, e.getMessage(), List.of())));
                } else {
                    out.println();
                }
                err.println("[answer incomplete] " + e.getMessage());
                return ExitCode.FAILURE;
            }
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

    /**
     * Ctrl-C while an answer streams: interrupt the asking thread, which closes the HTTP stream to
     * the model server, and give it a moment to do so before the JVM exits.
     */
    private static final class Cancellation implements AutoCloseable {
        private final Thread hook;

        private Cancellation(Thread hook) {
            this.hook = hook;
        }

        static Cancellation onShutdown() {
            Thread asking = Thread.currentThread();
            Thread hook = new Thread(() -> {
                asking.interrupt();
                try {
                    asking.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            return new Cancellation(hook);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it interrupted us, nothing to undo
            }
        }
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
