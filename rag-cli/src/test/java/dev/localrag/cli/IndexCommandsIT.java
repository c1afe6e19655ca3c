package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rag status, documents, config and completion, in-process on a small index of their own. */
class IndexCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> NO_OLLAMA = Map.of("OLLAMA_HOST", "127.0.0.1:9");

    @TempDir
    static Path home;

    static Path docs;
    static Path index;

    @BeforeAll
    static void ingestThreeFiles() throws Exception {
        docs = Files.createDirectories(home.resolve("docs"));
        Files.writeString(docs.resolve("ports.md"), "# Ports\nOllama listens on port 11434; set OLLAMA_HOST.\n");
        Files.writeString(docs.resolve("models.md"), "# Models\nModels are stored under ~/.ollama/models.\n");
        Files.writeString(docs.resolve("gpu.txt"), "Radeon and NVIDIA GPUs are supported.\n");
        index = home.resolve("index");
        CliRun ingest = CliRun.run(
                home,
                home,
                NO_OLLAMA,
                "ingest",
                docs.toString(),
                "--index",
                index.toString(),
                "--embedder",
                "onnx:bge-small-en-v1.5",
                "--no-isolate");
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
    }

    private static CliRun rag(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--index");
        all.add(index.toString());
        return CliRun.run(home, home, NO_OLLAMA, all.toArray(String[]::new));
    }

    @Test
    void statusReportsTheIndexSettingsCountsSizeAndLastIngest() throws Exception {
        CliRun status = rag("status", "--json");

        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode s = JSON.readTree(status.out());
        assertThat(s.path("path").asText()).isEqualTo(index.toString());
        assertThat(s.path("documents").asInt()).isEqualTo(documentCount());
        assertThat(s.path("chunks").asInt())
                .isGreaterThanOrEqualTo(s.path("documents").asInt());
        assertThat(s.path("sizeBytes").asLong()).isPositive();
        assertThat(s.path("lastIngest").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(s.path("embedder").asText()).isEqualTo("onnx:bge-small-en-v1.5");
        assertThat(s.path("dimension").asInt()).isEqualTo(384);
        assertThat(s.path("vectorFormat").path("encoding").asText()).isEqualTo("float32");

        CliRun plain = rag("status");
        assertThat(plain.out())
                .contains("Embedder:      onnx:bge-small-en-v1.5 (384-d)")
                .contains("Size on disk:");
    }

    private static int documentCount() throws Exception {
        return JSON.readTree(rag("documents", "list", "--json").out())
                .path("documents")
                .size();
    }

    @Test
    void documentsListShowsEveryFileWithChunksSizeAndModified() throws Exception {
        CliRun list = rag("documents", "list", "--json");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<String> paths = new ArrayList<>();
        for (JsonNode d : JSON.readTree(list.out()).path("documents")) {
            paths.add(d.path("path").asText());
            assertThat(d.path("chunks").asInt()).isPositive();
            assertThat(d.path("size").asLong())
                    .isEqualTo(Files.size(Path.of(d.path("path").asText())));
            assertThat(d.path("modified").asText()).endsWith("Z");
        }
        assertThat(paths)
                .contains(
                        docs.resolve("ports.md").toString(),
                        docs.resolve("models.md").toString());
        assertThat(rag("documents").out()).contains("docs/ports.md").containsPattern("\\d+ documents in ");
    }

    @Test
    void documentsShowPrintsTheChunksOfAFileGivenRelativeToTheWorkingDirectory() throws Exception {
        CliRun show = rag("documents", "show", "docs/ports.md", "--json");

        assertThat(show.exitCode()).as(show.toString()).isZero();
        JsonNode s = JSON.readTree(show.out());
        assertThat(s.path("document").path("path").asText())
                .isEqualTo(docs.resolve("ports.md").toString());
        assertThat(s.path("chunks").get(0).path("text").asText()).contains("11434");
    }

    @Test
    void documentsShowOfAnUnknownPathIsAUsageErrorNamingIt() {
        CliRun show = rag("documents", "show", "docs/nope.md");

        assertThat(show.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(show.err()).contains("docs/nope.md").contains("rag documents list");
    }

    @Test
    void documentsRemoveTakesTheDocumentOutOfSearchAndLeavesTheOthers() throws Exception {
        Path copy = home.resolve("removable");
        Files.createDirectories(copy);
        Files.writeString(copy.resolve("radeon.md"), "Radeon GPUs need ROCm.\n");
        CliRun ingest = CliRun.run(
                home,
                home,
                NO_OLLAMA,
                "ingest",
                copy.toString(),
                "--index",
                index.toString(),
                "--no-isolate",
                "--no-prune");
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        int before = documentCount();

        CliRun remove = rag("documents", "remove", "removable/radeon.md", "--json");

        assertThat(remove.exitCode()).as(remove.toString()).isZero();
        assertThat(JSON.readTree(remove.out()).path("removed").get(0).asText())
                .isEqualTo(copy.resolve("radeon.md").toString());
        assertThat(documentCount()).isEqualTo(before - 1);
        assertThat(rag("search", "ROCm", "--mode", "keyword").out()).doesNotContain("radeon.md");
    }

    @Test
    void configInitWritesACommentedFileThatLoadsAndRefusesToOverwrite() throws Exception {
        Path file = home.resolve("conf/config.yaml");

        CliRun init = CliRun.run(home, home, NO_OLLAMA, "config", "init", "--config", file.toString());

        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(Files.readString(file)).contains("# ollama:").contains("#   chatModel:");
        CliRun show = CliRun.run(home, home, NO_OLLAMA, "config", "show", "--config", file.toString(), "--json");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        JsonNode s = JSON.readTree(show.out());
        assertThat(s.path("ollama").path("host").asText()).isEqualTo("http://127.0.0.1:9");
        assertThat(s.path("topK").asInt()).isEqualTo(6);
        CliRun again = CliRun.run(home, home, NO_OLLAMA, "config", "init", "--config", file.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(again.err()).contains("exists already").contains("--force");
    }

    @Test
    void configTemplateHoldsTheReadmesSettingsLineForLine() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String block = readme.substring(readme.indexOf("```yaml\n# ~/.config/localrag/config.yaml") + 8);
        block = block.substring(0, block.indexOf("```"));
        String template = ConfigCommand.template();
        for (String line : block.lines().skip(1).toList()) {
            assertThat(template).contains(line.startsWith("#") ? line : "# " + line);
        }
    }

    @Test
    void configShowPrintsYamlWithTheIndexFromTheFlagAndMasksHeaders() {
        CliRun show = CliRun.run(
                home,
                home,
                Map.of(
                        "OLLAMA_HOST",
                        "127.0.0.1:9",
                        "LOCALRAG_CONFIG",
                        home.resolve("absent.yaml").toString()),
                "config",
                "show",
                "--index",
                index.toString());

        assertThat(show.exitCode()).as(show.toString()).isEqualTo(ExitCode.USAGE); // an explicit file must exist
        CliRun plain = CliRun.run(home, home, NO_OLLAMA, "config", "show", "--index", index.toString());
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.out())
                .contains("path: " + index)
                .contains("host: http://127.0.0.1:9")
                .contains("(absent)");
    }

    @Test
    void completionPrintsABashScriptThatKnowsTheCommandsAndAZshVariant() {
        CliRun bash = CliRun.run(home, home, NO_OLLAMA, "completion", "bash");
        CliRun zsh = CliRun.run(home, home, NO_OLLAMA, "completion", "zsh");

        assertThat(bash.exitCode()).as(bash.toString()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("documents").contains("--mode");
        assertThat(zsh.out())
                .startsWith("autoload -U +X compinit")
                .contains("bashcompinit")
                .contains("complete -F");
        assertThat(CliRun.run(home, home, NO_OLLAMA, "completion", "fish").exitCode())
                .isEqualTo(ExitCode.USAGE);
    }
}
