package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardedParserTest {

    @TempDir
    Path tmp;

    @Test
    void aParseThatHangsIsCutOffAtTheTimeout() throws IOException {
        Path file = Files.writeString(tmp.resolve("slow.txt"), "x");
        GuardedParser guarded = new GuardedParser(
                f -> {
                    long until = System.nanoTime() + 20_000_000_000L;
                    while (System.nanoTime() < until) { // ignores interrupts, like a stuck parser
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException ignored) {
                            // keep hanging
                        }
                    }
                    throw new IllegalStateException("should have been abandoned");
                },
                Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThatThrownBy(() -> guarded.parse(file))
                .isInstanceOf(ParseFailedException.class)
                .hasMessageContaining("longer than 300 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(guarded.abandoned()).isEqualTo(1);
    }

    @Test
    void runningOutOfMemoryOrStackFailsTheFileOnly() throws IOException {
        Path file = Files.writeString(tmp.resolve("bomb.txt"), "x");
        GuardedParser oom = new GuardedParser(
                f -> {
                    throw new OutOfMemoryError("Java heap space");
                },
                Duration.ofSeconds(5));
        GuardedParser deep = new GuardedParser(
                f -> {
                    throw new StackOverflowError();
                },
                Duration.ofSeconds(5));

        assertThatThrownBy(() -> oom.parse(file))
                .isInstanceOf(ParseFailedException.class)
                .hasMessageContaining("memory");
        assertThatThrownBy(() -> deep.parse(file))
                .isInstanceOf(ParseFailedException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void aNormalParsePassesThrough() throws IOException {
        Path file = Files.writeString(tmp.resolve("ok.md"), "# Hello\n\nworld");

        ParsedFile parsed = new GuardedParser(new TikaDocumentParser(), Duration.ofSeconds(30)).parse(file);

        assertThat(parsed.documents().getFirst().text()).contains("# Hello").contains("world");
        assertThat(parsed.documents().getFirst().title()).isEqualTo("Hello");
    }
}
