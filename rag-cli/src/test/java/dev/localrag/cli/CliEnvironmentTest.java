package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The byte streams of an in-process environment carry exactly the text of its reader and writer. */
class CliEnvironmentTest {

    @Test
    void stdinGivesTheUtf8BytesOfTheReaderEvenWhenAReadEndsInsideASurrogatePair() throws Exception {
        // given a character outside the BMP right where the first 4096-character read ends
        String text = "a".repeat(4095) + "\uD83D\uDE00 café 中文\n";
        CliEnvironment environment = environment(new StringReader(text), new StringWriter());

        // when
        byte[] bytes = environment.stdin().readAllBytes();

        // then
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(bytes).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stdoutWritesFlushedUtf8BytesAsText() throws Exception {
        StringWriter out = new StringWriter();
        CliEnvironment environment = environment(new StringReader(""), out);
        OutputStream stdout = environment.stdout();

        stdout.write("{\"text\":\"naïve \uD83D\uDE00\"}\n".getBytes(StandardCharsets.UTF_8));
        stdout.flush();

        assertThat(out).hasToString("{\"text\":\"naïve \uD83D\uDE00\"}\n");
    }

    private static CliEnvironment environment(StringReader in, StringWriter out) {
        return new CliEnvironment(
                Map.of(),
                Path.of("."),
                Path.of("."),
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true),
                new BufferedReader(in),
                false);
    }
}
