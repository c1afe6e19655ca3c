package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatInputTest {

    private static CliEnvironment piped(Map<String, String> env, String input, StringWriter out) {
        return new CliEnvironment(
                env,
                Path.of("/home/ada"),
                Path.of("/work"),
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true),
                new BufferedReader(new StringReader(input)),
                false);
    }

    @Test
    void pipedInputIsReadLineByLineWithThePromptPrintedAsBefore() {
        // given input from a pipe, not a terminal
        StringWriter out = new StringWriter();
        try (ChatInput input = ChatInput.of(piped(Map.of(), "first question\n/exit\n", out))) {
            // when lines are read until the end
            assertThat(input).isInstanceOf(ChatInput.Plain.class);
            assertThat(input.readLine("> ")).isEqualTo("first question");
            assertThat(input.readLine("> ")).isEqualTo("/exit");
            assertThat(input.readLine("> ")).isNull();
        }
        // then each read printed the prompt, and nothing else
        assertThat(out.toString()).isEqualTo("> > > ");
    }

    @Test
    void theHistoryIsKeptUnderTheStateFolder() {
        StringWriter out = new StringWriter();
        assertThat(ChatInput.historyFile(piped(Map.of(), "", out)))
                .isEqualTo(Path.of("/home/ada/.local/state/localrag/chat_history"));
        assertThat(ChatInput.historyFile(piped(Map.of("XDG_STATE_HOME", "/var/state"), "", out)))
                .isEqualTo(Path.of("/var/state/localrag/chat_history"));
    }
}
