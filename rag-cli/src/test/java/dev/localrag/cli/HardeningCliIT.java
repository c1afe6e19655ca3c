package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.testing.OllamaTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad usage of the CLI, as a careless user types it: each gets exit 2 and one message naming the
 * flag, path or key, and nothing is written where it should not be.
 */
class HardeningCliIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun rag(String... args) {
        return CliRun.run(tmp, tmp, Map.of("OLLAMA_HOST", "http://127.0.0.1:9"), args);
    }

    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return new TreeSet<>(files.map(p -> dir.relativize(p).toString()).toList());
        }
    }

    private static void assertUsage(CliRun run, String... parts) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).as(run.toString()).contains(parts).doesNotContain("\tat ");
    }

    @Test
    void indexLocationsThatAreNotIndexFoldersAreRefused() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("a.md"), "# A\n\nAlpha.");
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("thesis.txt"), "my own file");
        Path file = Files.writeString(tmp.resolve("file.txt"), "a regular file");
        Set<String> before = listing(tmp);

        assertUsage(rag("ingest", docs.toString(), "--index", mine.toString()), mine.toString(), "other files");
        assertUsage(rag("ingest", docs.toString(), "--index", file.toString()), file.toString(), "is a file");
        assertUsage(rag("ingest", docs.toString(), "--index", ""), "--index is empty");
        assertUsage(rag("ingest", docs.toString(), "--index", "ftp://host/x"), "--index", "URI");
        assertUsage(rag("search", "alpha", "--index", "s3://bucket/x"), "--index", "URI");

        assertThat(listing(tmp)).as("nothing written").isEqualTo(before);
    }

    @Test
    void kHasOneRangeAndBadUsageIsExitTwo() {
        assertUsage(rag("search", "alpha", "-k", "0"), "-k must be from 1 to 1000");
        assertUsage(rag("search", "alpha", "-k", "1001"), "-k must be from 1 to 1000");
        assertUsage(rag("ask", "alpha", "-k", "0"), "-k must be from 1 to 1000");
        assertUsage(rag("ask", "-k", "1001", "alpha"), "-k must be from 1 to 1000");
        assertUsage(rag("ask", ""), "question is empty");
        assertUsage(rag("search", " "), "query is empty");
        assertUsage(rag("search", "alpha", "-k", "many"), "'many'");
    }

    @Test
    void aMissingIngestPathIsNamedBeforeAnyEmbedderIsChosen() {
        // when a folder that does not exist is ingested into a new index
        CliRun run = rag(
                "ingest",
                tmp.resolve("no-such-folder").toString(),
                "--index",
                tmp.resolve("idx").toString());

        // then the path is named, nothing about embedders or Ollama is said first, and no index is made
        assertUsage(run, "no-such-folder does not exist");
        assertThat(run.err()).doesNotContain("Ollama").doesNotContain("embedder");
        assertThat(tmp.resolve("idx")).doesNotExist();
    }

    @Test
    void aUsageErrorPrintsTheMessageAndWhereToLookNotTheWholeUsage() {
        CliRun run = rag("search", "--no-such-flag", "alpha");

        assertUsage(run, "Unknown option: '--no-such-flag'", "See 'rag search --help'.");
        assertThat(run.err().lines().count()).as(run.toString()).isLessThan(6);
    }

    @Test
    void configMistakesNameTheKeyTheLineAndWhatIsExpected() throws IOException {
        Path config = tmp.resolve("config.yaml");

        Files.writeString(config, "topK: 5\nollama:\n  chatModle: llama3\n");
        assertUsage(
                rag("search", "alpha", "--config", config.toString()),
                "line 3",
                "chatModle",
                "Did you mean 'chatModel'?");

        Files.writeString(config, "topK: 5\ntopK: 6\n");
        assertUsage(rag("search", "alpha", "--config", config.toString()), "line 2", "'topK' appears twice");

        Files.writeString(config, "embedder: onnx:bge-small-en-v1.5\ntopK: six\n");
        CliRun run = rag("search", "alpha", "--config", config.toString());
        assertUsage(run, "line 2", "topK", "expected a whole number", "six");
        assertThat(run.err()).doesNotContain("java.lang").doesNotContain("Cannot deserialize");
    }

    @Test
    void anIngestSkipsItsOwnIndexFolderAndLeavesOneAuditLine() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("a.md"), "# A\n\nAlpha talks about ports.");
        Path index = docs.resolve("idx");
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("qwen3-embedding:0.6b-q8_0"), 64)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());
            CliRun first = CliRun.run(tmp, tmp, env, "ingest", docs.toString(), "--index", index.toString(), "--json");
            CliRun again = CliRun.run(tmp, tmp, env, "ingest", docs.toString(), "--index", index.toString(), "--json");

            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(again.exitCode()).as(again.toString()).isZero();
            JsonNode summary = JSON.readTree(again.out());
            assertThat(summary.path("skipped").asInt()).as(again.toString()).isZero();
            assertThat(summary.path("index").path("documents").asInt()).isEqualTo(1);

            List<String> audit = Files.readAllLines(docs.resolve("idx-audit.jsonl"));
            assertThat(audit).hasSize(2);
            JsonNode line = JSON.readTree(audit.get(0));
            assertThat(line.path("actor").asText()).startsWith("os:");
            assertThat(line.path("action").asText()).isEqualTo("rag ingest");
            assertThat(line.path("index").asText())
                    .isEqualTo(index.toAbsolutePath().normalize().toString());
            assertThat(line.path("paths").get(0).asText()).isEqualTo(docs.toString());
            assertThat(line.path("outcome").asText()).isEqualTo("succeeded");
            assertThat(line.path("counts").path("filesIndexed").asInt()).isEqualTo(1);
            assertThat(line.path("time").asText()).isNotBlank();
        }
    }

    @Test
    void anIngestThatCannotBeAuditedIsRefused() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("a.md"), "# A\n\nAlpha.");
        Path index = tmp.resolve("idx");
        Files.createDirectories(tmp.resolve("idx-audit.jsonl")); // a folder where the log file should be

        CliRun run =
                rag("ingest", docs.toString(), "--index", index.toString(), "--embedder", "onnx:bge-small-en-v1.5");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).contains("audit log").contains("refused");
        assertThat(index).doesNotExist();
    }
}
