package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.testing.OllamaTestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rag ingest --watch} in its own JVM: it syncs, applies a change, and Ctrl-C (SIGINT) makes
 * it commit, say what is stored and exit 130. Waits poll output and index with a deadline.
 */
class IngestWatchIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path home;

    @Test
    void watchAppliesAChangeAndCtrlCCommitsAndExits130() throws Exception {
        Path docs = Files.createDirectories(home.resolve("docs"));
        Files.writeString(docs.resolve("a.md"), "# Alpha\n\nThe pump is called Zephyr.");
        Path index = home.resolve("idx");
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("qwen3-embedding:0.6b-q8_0"), 16)) {
            // given rag ingest --watch running
            ProcessBuilder builder = new ProcessBuilder(
                            rag("ingest", docs.toString(), "--index", index.toString(), "--watch", "--no-isolate"))
                    .redirectError(home.resolve("stderr.log").toFile());
            builder.environment().put("OLLAMA_HOST", ollama.baseUrl().toString());
            Process p = builder.start();
            List<String> out = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofPlatform().start(() -> read(p, out));
            try {
                awaitLine(p, out, line -> line.startsWith("Watching "));
                assertThat(String.join("\n", out)).contains("Indexed 1 file");

                // when a file is added, the usual summary is printed and the index has it
                Files.writeString(docs.resolve("b.md"), "# Bravo\n\nThe valve is called Mistral.");
                awaitLine(p, out, line -> line.startsWith("Index ") && line.contains(": 2 documents"));
                assertThat(String.join("\n", out)).contains("changes in").contains("1 added");

                // and when it gets Ctrl-C
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
                        .start()
                        .waitFor();
                if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                    // a thread dump (SIGQUIT prints one to stdout) says where the stop is stuck
                    new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid()))
                            .start()
                            .waitFor();
                    p.waitFor(5, TimeUnit.SECONDS);
                    throw new AssertionError("still running " + DEADLINE.toSeconds() + " s after Ctrl-C; out:\n"
                            + String.join("\n", out) + "\nerr:\n" + Files.readString(home.resolve("stderr.log")));
                }
            } finally {
                p.destroyForcibly();
                reader.join(10_000);
            }

            // then it exits 130 with one line saying what is stored, and the index holds it
            String err = Files.readString(home.resolve("stderr.log"));
            assertThat(p.exitValue()).as(err).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(err).contains("Stopped watching. Index " + index + " holds 2 documents");
            try (LuceneVectorIndex opened = LuceneVectorIndex.openReadOnly(index)) {
                assertThat(opened.stats().documents()).isEqualTo(2);
                assertThat(opened.search(SearchMode.KEYWORD, "mistral", null, 1))
                        .hasSize(1);
            }
        }
    }

    private static void read(Process p, List<String> lines) {
        try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private void awaitLine(Process p, List<String> out, Predicate<String> wanted) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (out.stream().noneMatch(wanted)) {
            if (!p.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("no such line; out:\n" + String.join("\n", out) + "\nerr:\n"
                        + Files.readString(home.resolve("stderr.log")));
            }
            Thread.sleep(50);
        }
    }

    /**
     * The child JVM with SIGINT and SIGQUIT at their defaults: a test run started in the background
     * by a shell without job control (e.g. {@code (./mvnw verify &)}) inherits them ignored, and a
     * JVM keeps an ignored SIGINT ignored, so Ctrl-C would never reach it.
     */
    private List<String> rag(String... args) {
        List<String> command = new ArrayList<>(ChildJvm.rag(home, args));
        if (DEFAULT_SIGNALS) {
            command.addAll(0, List.of("env", "--default-signal=INT,QUIT"));
        }
        return command;
    }

    /** Whether this machine's env can reset signals (GNU coreutils 8.31 and later). */
    private static final boolean DEFAULT_SIGNALS = defaultSignals();

    private static boolean defaultSignals() {
        try {
            return new ProcessBuilder("env", "--default-signal=INT,QUIT", "true")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
