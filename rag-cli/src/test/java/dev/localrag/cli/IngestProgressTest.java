package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestProgressTest {

    @Test
    void withoutATerminalLinesKeepComingWhileOneLargeFileIsEmbedded() {
        // given plain progress (no terminal) and one file of 1000 chunks to embed
        StringWriter err = new StringWriter();
        try (IngestProgress progress = new IngestProgress(
                IngestProgress.Mode.LINES,
                new PrintWriter(err, true),
                new PrintStream(PrintStream.nullOutputStream()),
                false,
                s -> s,
                Duration.ZERO,
                true)) {
            progress.toEmbed(Path.of("big.txt"), 1000);

            // when batches are embedded before the file is done
            progress.embedded(100);
            progress.embedded(100);

            // then each batch gives a line with chunks embedded / total and an ETA
            assertThat(err.toString())
                    .contains("100/1000 chunks embedded")
                    .contains("200/1000 chunks embedded")
                    .contains("ETA ");
            assertThat(progress.interruptedLine())
                    .contains("200 chunks embedded")
                    .contains("run the same command again to continue");
        }
    }

    @Test
    void durationsReadAsSecondsMinutesAndHours() {
        assertThat(IngestProgress.duration(42.4)).isEqualTo("42 s");
        assertThat(IngestProgress.duration(125)).isEqualTo("2 min 5 s");
        assertThat(IngestProgress.duration(7260)).isEqualTo("2 h 1 min");
    }
}
