package dev.localrag.cli;

import dev.localrag.core.answer.Answer;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.Cancellation;
import dev.localrag.core.answer.ChatAvailability;
import dev.localrag.core.answer.PartialAnswerException;
import dev.localrag.core.answer.Source;
import dev.localrag.core.answer.Turn;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.rerank.Reranker;
import dev.localrag.runtime.RagRuntime;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = {
            "An interactive session: ask, then ask follow-ups (they are rewritten into standalone questions"
                    + " using the conversation).",
            "Commands: /sources (the last answer's sources), /reset (forget the conversation), /help, /exit.",
            "Ctrl-C stops the current answer and keeps the session; Ctrl-D (end of input) exits.",
            "On a terminal lines can be edited (arrow keys, Ctrl-R searches the history); the history is kept in"
                    + " ~/.local/state/localrag/chat_history."
        })
final class ChatCommand implements Callable<Integer> {

    /** Turns kept as history; older ones are dropped so the prompt stays small. */
    static final int MAX_HISTORY_TURNS = 8;

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    @Mixin
    AskCommand.AnswerOptions answerOptions;

    @Mixin
    RerankOptions rerank;

    @Override
    public Integer call() {
        CliEnvironment environment = parent.environment();
        PrintWriter out = environment.out();
        answerOptions.checkK();
        RagConfig config = answerOptions.apply(common.resolve(environment));
        AnswerPrinter printer = new AnswerPrinter(environment);
        AtomicReference<Cancellation> current = new AtomicReference<>();
        try (RagRuntime rag = answerOptions.runtime(config).build();
                ChatInput input = ChatInput.of(environment);
                Reranker reranker = rerank.reranker(rag)) {
            // Ctrl-C cancels the answer in progress (closing the stream to Ollama) instead of ending the JVM
            input.onInterrupt(() -> {
                Cancellation c = current.get();
                if (c != null) {
                    c.cancel();
                } else {
                    out.println();
                    out.print("(Ctrl-D or /exit to leave)\n> ");
                    out.flush();
                }
            });
            ChatAvailability.Status chat = rag.chat().check();
            AnswerService service = rag.answers(chat, rerank.apply(rag.retriever(), reranker));
            if (!chat.available()) {
                environment.err().println(chat.notice());
            }
            out.println("LocalRAG chat on " + config.index() + ". /help for commands, Ctrl-D to exit.");
            List<Turn> history = new ArrayList<>();
            Answer last = null;
            while (true) {
                String line = input.readLine("> ");
                if (line == null) {
                    out.println();
                    return ExitCode.OK;
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                switch (line) {
                    case "/exit", "/quit" -> {
                        return ExitCode.OK;
                    }
                    case "/help" -> {
                        out.println("/sources  the last answer's sources");
                        out.println("/reset    forget the conversation");
                        out.println("/exit     leave (or Ctrl-D); Ctrl-C stops an answer");
                        continue;
                    }
                    case "/reset" -> {
                        history.clear();
                        last = null;
                        out.println("Conversation forgotten.");
                        continue;
                    }
                    case "/sources" -> {
                        if (last == null || last.sources().isEmpty()) {
                            out.println("No sources yet.");
                        } else {
                            for (Source s : last.sources()) {
                                out.println(printer.sourceLine(s));
                            }
                        }
                        continue;
                    }
                    default -> {
                        if (line.startsWith("/")) {
                            out.println("Unknown command " + line + "; /help lists them.");
                            continue;
                        }
                    }
                }
                Cancellation cancellation = new Cancellation();
                current.set(cancellation);
                Answer answer;
                try {
                    answer = service.ask(
                            answerOptions
                                    .request(line, config)
                                    .withHistory(history)
                                    .withCancellation(cancellation),
                            printer.streaming());
                } catch (PartialAnswerException e) {
                    printer.finish(e.partial());
                    environment.err().println(e.getMessage());
                    continue;
                } finally {
                    current.set(null);
                }
                printer.finish(answer);
                last = answer;
                if (answer.complete()) {
                    history.add(Turn.user(line));
                    history.add(Turn.assistant(answer.text()));
                    while (history.size() > MAX_HISTORY_TURNS) {
                        history.removeFirst();
                    }
                }
            }
        }
    }
}
