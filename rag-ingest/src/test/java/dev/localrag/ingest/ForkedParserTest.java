package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkedParserTest {

    @TempDir
    Path tmp;

    @Test
    void aFileThatExhaustsTheParsersHeapKillsOnlyTheChildAndTheNextFileParses() throws IOException {
        Path good = Files.writeString(tmp.resolve("good.md"), "# Title\n\nSome text about llamas.");
        Path big = tmp.resolve("big.txt");
        try (Writer w = Files.newBufferedWriter(big)) {
            String line = "a line of text that fills the parser's small heap quickly\n";
            for (int i = 0; i < 600_000; i++) { // ~35 MB of text: far beyond a 64 MB heap once decoded
                w.write(line);
            }
        }
        try (ForkedParser parser = new ForkedParser(1, 64, Duration.ofSeconds(120))) {
            // a normal file parses in the child, with its structure and title
            ParsedFile first = parser.parse(good);
            assertThat(first.documents().getFirst().title()).isEqualTo("Title");
            assertThat(first.documents().getFirst().text()).contains("# Title").contains("llamas");

            // a file too big for the child's heap fails alone, with a clear reason
            assertThatThrownBy(() -> parser.parse(big))
                    .isInstanceOf(ParseFailedException.class)
                    .hasMessageContaining("parser process died");

            // and a fresh child takes the next file
            assertThat(parser.parse(good).documents().getFirst().text()).contains("llamas");

            // a parse failure in the child comes back as the same clear reason as in-process
            Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
            assertThatThrownBy(() -> parser.parse(empty))
                    .isInstanceOf(ParseFailedException.class)
                    .hasMessageContaining("empty file");
        }
    }
}
