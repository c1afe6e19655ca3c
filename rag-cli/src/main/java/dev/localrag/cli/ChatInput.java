package dev.localrag.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Where {@code rag chat} reads its questions: on a terminal a JLine line editor (arrow keys, Ctrl-R
 * search, history kept in {@code ~/.local/state/localrag/chat_history}); otherwise (piped input)
 * plain lines, the prompt printed as before.
 */
interface ChatInput extends AutoCloseable {

    /** The next line, or null at the end of input (Ctrl-D). Ctrl-C while typing gives an empty line. */
    String readLine(String prompt);

    /** Runs {@code action} on Ctrl-C while no line is being read (an answer streams). */
    void onInterrupt(Runnable action);

    @Override
    void close();

    /** The line editor on a terminal, plain lines otherwise. */
    static ChatInput of(CliEnvironment environment) {
        if (environment.interactive() && CliEnvironment.isTerminal()) {
            return new Editor(historyFile(environment));
        }
        return new Plain(environment);
    }

    /** {@code $XDG_STATE_HOME/localrag/chat_history}, by default under {@code ~/.local/state}. */
    static Path historyFile(CliEnvironment environment) {
        String state = environment.env().get("XDG_STATE_HOME");
        Path base = state == null || state.isBlank()
                ? environment.home().resolve(".local").resolve("state")
                : Path.of(state);
        return base.resolve("localrag").resolve("chat_history");
    }

    /** Piped input: the prompt is printed and a line read, exactly as without a terminal before. */
    final class Plain implements ChatInput {
        private final CliEnvironment environment;

        Plain(CliEnvironment environment) {
            this.environment = environment;
        }

        @Override
        public String readLine(String prompt) {
            PrintWriter out = environment.out();
            out.print(prompt);
            out.flush();
            try {
                return environment.in().readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read input: " + e.getMessage(), e);
            }
        }

        @Override
        @SuppressWarnings("restriction")
        public void onInterrupt(Runnable action) {
            if (environment.interactive()) {
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> action.run());
            }
        }

        @Override
        public void close() {}
    }

    /** A terminal: JLine's line editor with a history file. */
    final class Editor implements ChatInput {
        private final Terminal terminal;
        private final LineReader reader;

        Editor(Path history) {
            try {
                java.nio.file.Files.createDirectories(history.getParent());
                this.terminal = TerminalBuilder.builder().system(true).build();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open the terminal: " + e.getMessage(), e);
            }
            this.reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("rag chat")
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.HISTORY_SIZE, 1000)
                    .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "!" is text, not history
                    .build();
        }

        @Override
        public String readLine(String prompt) {
            try {
                return reader.readLine(prompt);
            } catch (UserInterruptException e) {
                terminal.writer().println("(Ctrl-D or /exit to leave)");
                terminal.flush();
                return "";
            } catch (EndOfFileException e) {
                return null;
            }
        }

        @Override
        public void onInterrupt(Runnable action) {
            terminal.handle(Terminal.Signal.INT, signal -> action.run());
        }

        @Override
        public void close() {
            try {
                reader.getHistory().save();
                terminal.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot save the chat history: " + e.getMessage(), e);
            }
        }
    }
}
