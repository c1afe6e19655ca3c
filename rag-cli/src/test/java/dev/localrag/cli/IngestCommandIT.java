package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.chunk.StructuredChunker;
import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.testing.OllamaTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rag ingest's flags and outputs, with embeddings from the project's Ollama test server. */
class IngestCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void jsonSummaryDryRunPruningAndPartialSuccess() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("a.md"), "# Alpha\n\n## Port\n\nAlpha talks about port 11434.");
        Files.writeString(docs.resolve("b.md"), "# Bravo\n\nBravo talks about GPUs.");
        Files.writeString(docs.resolve("skip.log"), "log lines");
        Files.writeString(docs.resolve(".ragignore"), "*.log\n");
        Files.write(docs.resolve("broken.pdf"), "%PDF-1.7 not really".getBytes());
        String index = tmp.resolve("idx").toString();
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("qwen3-embedding:0.6b-q8_0"), 64)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());

            // a first ingest with --json: machine-readable summary, exit code 3 for the broken file
            CliRun first = CliRun.run(tmp, tmp, env, "ingest", docs.toString(), "--index", index, "--json");
            assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCode.PARTIAL);
            JsonNode summary = JSON.readTree(first.out());
            assertThat(summary.path("indexed").asInt()).isEqualTo(2);
            assertThat(summary.path("added").asInt()).isEqualTo(2);
            assertThat(summary.path("skipped").asInt()).isEqualTo(1);
            assertThat(summary.path("chunksEmbedded").asInt())
                    .isEqualTo(summary.path("chunks").asInt());
            assertThat(summary.path("failures").get(0).path("path").asText()).endsWith("broken.pdf");
            assertThat(summary.path("failures").get(0).path("reason").asText()).contains("cannot parse");
            assertThat(summary.path("timings").has("embed")).isTrue();
            assertThat(summary.path("index").path("documents").asInt()).isEqualTo(2);

            // when one file changes, one is deleted and one is added, --dry-run only prints the plan
            Files.writeString(docs.resolve("a.md"), "# Alpha\n\n## Port\n\nAlpha now talks about port 8080.");
            Files.delete(docs.resolve("b.md"));
            Files.writeString(docs.resolve("c.md"), "# Charlie\n\nCharlie is new.");
            Files.delete(docs.resolve("broken.pdf"));
            CliRun plan = CliRun.run(tmp, tmp, env, "ingest", docs.toString(), "--index", index, "--dry-run");
            assertThat(plan.exitCode()).as(plan.toString()).isZero();
            assertThat(plan.out())
                    .contains(
                            "Plan (dry run, nothing changed): 1 to add, 1 to update, 0 moved, 1 to delete, 0 unchanged");

            // and the real run applies it, quietly, keeping the summary line format
            CliRun sync = CliRun.run(tmp, tmp, env, "ingest", docs.toString(), "--index", index, "--quiet");
            assertThat(sync.exitCode()).as(sync.toString()).isZero();
            assertThat(sync.out())
                    .containsPattern("Indexed 2 files \\(\\d+ chunks\\) in \\d+\\.\\d s; 0 unchanged, 0 skipped\\.")
                    .contains("Changes: 1 added, 1 updated, 0 moved, 1 deleted;")
                    .contains("Index " + index + ": 2 documents");
            assertThat(sync.err()).doesNotContain("skipped").doesNotContain("files,");

            // a bad option value is a usage error naming the flag
            CliRun bad =
                    CliRun.run(tmp, tmp, env, "ingest", docs.toString(), "--index", index, "--max-file-size", "lots");
            assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(bad.err()).contains("--max-file-size 'lots'");
        }
    }

    @Test
    void failFastStopsAtTheFirstBadFileAndTheTableListsIt() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("empty.txt"), "");
        Files.writeString(docs.resolve("ok.md"), "# OK\n\nfine");
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("qwen3-embedding:0.6b-q8_0"), 64)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());

            CliRun run = CliRun.run(
                    tmp,
                    tmp,
                    env,
                    "ingest",
                    docs.toString(),
                    "--index",
                    tmp.resolve("idx").toString(),
                    "--fail-fast");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.PARTIAL);
            assertThat(run.err()).contains("skipped docs/empty.txt: empty file");
            assertThat(run.out()).contains("Skipped files:").contains("FILE").contains("empty file (0 bytes)");
        }
    }

    @Test
    void anIngestWithNothingToEmbedNeverLoadsTheModel() throws Exception {
        // given an index recorded as built by an in-process model that is no longer on disk
        Path gone = tmp.resolve("models/gone");
        Path index = tmp.resolve("idx");
        EmbedderSpec spec = EmbedderSpec.parse("onnx:" + gone);
        try (LuceneVectorIndex created = LuceneVectorIndex.open(
                index, IndexManifest.of(spec, 32, new StructuredChunker(ChunkingSettings.DEFAULT).describe()))) {
            created.commit();
        }
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        // when an empty folder is ingested into it
        CliRun run = CliRun.run(tmp, tmp, Map.of(), "ingest", empty.toString(), "--index", index.toString());

        // then nothing needed a vector, so the missing model was never loaded
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Indexed 0 files").contains("embedder onnx:" + gone);

        // while a file to embed does load it, and says what is missing
        Files.writeString(empty.resolve("a.md"), "# A\n\nsome text");
        CliRun needsModel = CliRun.run(tmp, tmp, Map.of(), "ingest", empty.toString(), "--index", index.toString());
        assertThat(needsModel.exitCode()).as(needsModel.toString()).isNotZero();
        assertThat(needsModel.toString()).contains(gone.toString());
    }
}
