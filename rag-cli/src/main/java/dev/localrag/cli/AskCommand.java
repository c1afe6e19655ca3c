package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.answer.Answer;
import dev.localrag.core.answer.AnswerHandler;
import dev.localrag.core.answer.AnswerRequest;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.Cancellation;
import dev.localrag.core.answer.PartialAnswerException;
import dev.localrag.core.config.ChatModelSpec;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SearchRequest;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.rerank.Reranker;
import dev.localrag.runtime.RagRuntime;
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

    @Mixin
    RerankOptions rerank;

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
        answerOptions.checkK();
        if (String.join(" ", question).isBlank()) {
            throw new ConfigurationException("The question is empty: give the question as words after `rag ask`.");
        }
        RagConfig config = answerOptions.apply(common.resolve(environment));
        AnswerPrinter printer = new AnswerPrinter(environment);
        answerOptions.pullIfAsked(config, environment);
        try (OllamaClient client = new OllamaClient(config.ollama(), ModelPuller.progress(environment.err()));
                RagRuntime rag =
                        answerOptions.runtime(config).ollamaClient(client).build();
                Reranker reranker = rerank.reranker(rag)) {
            AnswerService service = rag.answers(rag.chat().check(), rerank.apply(rag.retriever(), reranker));
            Cancellation cancellation = new Cancellation();
            AnswerRequest request =
                    answerOptions.request(String.join(" ", question), config).withCancellation(cancellation);
            Answer answer;
            try (CancelOnShutdown ignored = CancelOnShutdown.install(cancellation)) {
                answer = service.ask(request, json ? new AnswerHandler() {} : printer.streaming());
            } catch (PartialAnswerException e) {
                if (json) {
                    environment.out().println(Json.write(AnswerPrinter.json(e.partial())));
                } else {
                    printer.finish(e.partial());
                }
                environment.err().println("[answer incomplete] " + e.getMessage());
                return ExitCode.FAILURE;
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

        /** The runtime for answers in this mode ({@link SearchCommand#queryRuntime}). */
        RagRuntime.Builder runtime(RagConfig config) {
            return SearchCommand.queryRuntime(config, mode);
        }

        @Option(
                names = "--model",
                paramLabel = "NAME",
                description = "Chat model: an Ollama model name (default: " + OllamaSettings.DEFAULT_CHAT_MODEL
                        + ") or openai:MODEL@URL for an OpenAI-compatible server.")
        String model;

        @Option(names = "--show-thinking", description = "Show the model's <think> text (hidden by default).")
        boolean showThinking;

        /** With --pull (or ollama.autoPull): pull a missing Ollama chat model, with progress. */
        void pullIfAsked(RagConfig config, CliEnvironment environment) {
            ChatModelSpec spec = config.ollama().chatModel();
            if (spec.provider() == ChatModelSpec.Provider.OLLAMA) {
                ModelPuller.pullIfMissing(config.ollama(), spec.model(), environment.err());
            }
        }

        RagConfig apply(RagConfig config) {
            return model == null ? config : config.withOllama(config.ollama().withChatModel(model));
        }

        /** Refuses a {@code -k} out of range (exit 2) before any work. */
        void checkK() {
            if (k != null && (k < 1 || k > SearchRequest.MAX_K)) {
                throw new ConfigurationException(
                        "-k must be from 1 to " + SearchRequest.MAX_K + ", but was " + k + ".");
            }
        }

        AnswerRequest request(String question, RagConfig config) {
            return AnswerRequest.of(question)
                    .withMode(mode)
                    .withK(k != null ? k : config.topK())
                    .withShowThinking(showThinking);
        }
    }

    /**
     * Ctrl-C while an answer streams: cancel it (closing the HTTP stream to the model server) and
     * give the asking thread a moment to finish before the JVM exits.
     */
    static final class CancelOnShutdown implements AutoCloseable {
        private final Thread hook;

        private CancelOnShutdown(Thread hook) {
            this.hook = hook;
        }

        static CancelOnShutdown install(Cancellation cancellation) {
            Thread asking = Thread.currentThread();
            Thread hook = new Thread(() -> {
                cancellation.cancel();
                try {
                    asking.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            return new CancelOnShutdown(hook);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it cancelled the answer, nothing to undo
            }
        }
    }
}
