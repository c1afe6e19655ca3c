package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive that {@code ./mvnw package} builds (target/localrag-VERSION.tar.gz): unpacked, its
 * {@code bin/rag} prints the version, ingests and searches, also called through a symlink.
 */
class DistributionIT {

    @TempDir
    static Path tmp;

    static Path app;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            archive = files.filter(p -> p.getFileName().toString().matches("localrag-.*\\.tar\\.gz"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no target/localrag-*.tar.gz: run ./mvnw package"));
        }
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", tmp.toString())
                .inheritIO()
                .start();
        assertThat(tar.waitFor()).isZero();
        try (Stream<Path> dirs = Files.list(tmp)) {
            app = dirs.filter(p -> p.getFileName().toString().startsWith("localrag-"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    record Result(int exitCode, String out, String err) {}

    private static Result run(Path rag, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(rag.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(tmp.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("LOCALRAG_AOT", "off");
        pb.environment().put("OLLAMA_HOST", "127.0.0.1:9");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("rag " + String.join(" ", args) + " did not finish");
        }
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theArchiveHoldsTheLauncherLibrariesCompletionAndReadme() {
        assertThat(app.resolve("bin/rag")).isExecutable();
        assertThat(app.resolve("lib/rag-cli.jar")).isRegularFile();
        assertThat(app.resolve("lib/launch.sh")).isRegularFile();
        assertThat(app.resolve("lib/jdk.sh")).isRegularFile();
        assertThat(app.resolve("completion/rag.bash")).content().contains("complete -F");
        assertThat(app.resolve("README.md")).isRegularFile();
    }

    @Test
    void theUnpackedRagPrintsItsVersionIngestsAndSearchesAlsoThroughASymlink() throws Exception {
        Path link = Files.createSymbolicLink(
                Files.createDirectories(tmp.resolve("somewhere/bin")).resolve("rag"), app.resolve("bin/rag"));

        Result version = run(link, "--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("LocalRAG ").doesNotContain("development build");
        assertThat(version.err()).doesNotContain("WARNING");

        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("port.md"), "# Port\nOllama listens on port 11434.\n");
        Result ingest = run(
                app.resolve("bin/rag"),
                "ingest",
                docs.toString(),
                "--index",
                "idx",
                "--embedder",
                "onnx:bge-small-en-v1.5");
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).contains("Indexed 1 file (1 chunk)");

        Result search = run(link, "search", "which port", "--index", "idx");
        assertThat(search.exitCode()).as(search.toString()).isZero();
        assertThat(search.out()).contains("port.md").contains("11434");
        assertThat(search.err()).doesNotContain("WARNING");
    }
}
