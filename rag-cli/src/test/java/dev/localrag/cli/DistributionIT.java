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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./mvnw package} builds: the archive (target/localrag-VERSION.tar.gz), unpacked, and
 * the .deb (target/localrag_VERSION_amd64.deb), unpacked with {@code dpkg-deb -x} (no root install):
 * each one's {@code rag} prints the version, ingests and searches, also called through a symlink.
 */
class DistributionIT {

    @TempDir
    static Path tmp;

    static Path app;
    static Path deb;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = built("localrag-.*\\.tar\\.gz");
        assertThat(exec("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", tmp.toString()))
                .isZero();
        try (Stream<Path> dirs = Files.list(tmp)) {
            app = dirs.filter(p -> p.getFileName().toString().startsWith("localrag-"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** The newest file in target/ whose name matches (an older version's may be left there). */
    private static Path built(String name) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches(name))
                    .max(java.util.Comparator.comparingLong(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new AssertionError("no target/" + name + ": run ./mvnw package"));
        }
    }

    private static int exec(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
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
        versionIngestAndSearch(app.resolve("bin/rag"), link, "archive");
    }

    @Test
    void theDebInstallsRagWithItsOwnRuntimeOnThePathAndItIngestsAndSearches() throws Exception {
        // given the .deb, unpacked as dpkg would install it (under tmp/deb instead of /)
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/dpkg-deb")),
                "no dpkg-deb here, so no .deb was built (rag-cli's deb profile); .ci/run installs it");
        Path package_ = built("localrag_.*_amd64\\.deb");
        Path root = Files.createDirectories(tmp.resolve("deb"));
        assertThat(exec("dpkg-deb", "-x", package_.toString(), root.toString())).isZero();
        Path control = tmp.resolve("deb-control");
        assertThat(exec("dpkg-deb", "-e", package_.toString(), control.toString()))
                .isZero();

        // then it is the localrag package of this version, needing no X11 libraries, with its own runtime
        String fields = Files.readString(control.resolve("control"));
        assertThat(fields)
                .contains("Package: localrag")
                .doesNotContain("libx11")
                .doesNotContain("SNAPSHOT");
        Path opt = root.resolve("opt/localrag");
        assertThat(opt.resolve("bin/rag")).isExecutable();
        assertThat(opt.resolve("lib/runtime/release")).content().contains("JAVA_VERSION");
        assertThat(opt.resolve("lib/runtime/jmods")).doesNotExist();
        assertThat(opt.resolve("lib/completion/rag.bash")).content().contains("complete -F");
        // and its postinst puts rag on the PATH: /usr/bin/rag -> /opt/localrag/bin/rag
        assertThat(control.resolve("postinst")).content().contains("ln -sf /opt/localrag/bin/rag /usr/bin/rag");

        // when its rag runs from the unpacked tree, called as the postinst's link would call it
        Path usrBin = Files.createDirectories(root.resolve("usr/bin"));
        Path link = Files.createSymbolicLink(usrBin.resolve("rag"), opt.resolve("bin/rag"));
        versionIngestAndSearch(opt.resolve("bin/rag"), link, "deb");
    }

    private static void versionIngestAndSearch(Path rag, Path link, String name) throws Exception {
        Result version = run(link, "--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("LocalRAG ").doesNotContain("development build");
        assertThat(version.err()).doesNotContain("WARNING");

        Path docs = Files.createDirectories(tmp.resolve("docs-" + name));
        Files.writeString(docs.resolve("port.md"), "# Port\nOllama listens on port 11434.\n");
        Result ingest =
                run(rag, "ingest", docs.toString(), "--index", "idx-" + name, "--embedder", "onnx:bge-small-en-v1.5");
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).contains("Indexed 1 file (1 chunk)");

        Result search = run(link, "search", "which port", "--index", "idx-" + name);
        assertThat(search.exitCode()).as(search.toString()).isZero();
        assertThat(search.out()).contains("port.md").contains("11434");
        assertThat(search.err()).doesNotContain("WARNING");
    }
}
