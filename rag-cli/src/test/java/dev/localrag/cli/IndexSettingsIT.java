package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.TextAnalysis;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.testing.OllamaTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rag ingest's index settings (--vector-format, --hnsw-m, --hnsw-beam, --oversample,
 * --text-analysis, the config's index section): applied when the index is created, kept after,
 * and a conflicting request refused before anything changes. Embeddings from the Ollama test server.
 */
class IndexSettingsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "qwen3:4b-instruct-2507-q4_K_M";
    private static final String EMBED = "qwen3-embedding:0.6b-q8_0";

    @TempDir
    Path tmp;

    private Path home;
    private Path docs;
    private Path index;

    @BeforeEach
    void chineseNotes() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        docs = Files.createDirectories(tmp.resolve("docs"));
        index = tmp.resolve("zh-index");
        // both share the characters 上 and 海; only one has the word 上海 (Shanghai)
        Files.writeString(docs.resolve("shanghai.md"), "# 上海\n\n上海的天气很好，很多人去上海旅游。");
        Files.writeString(docs.resolve("sea.md"), "# 海\n\n海上有很多船，船上的人很开心。");
    }

    @Test
    void settingsApplyToANewIndexAreKeptAndAConflictingRequestChangesNothing() throws Exception {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(CHAT, EMBED).dimension(32).build()) {
            // when a new index is ingested with int8 vectors, m=24 and CJK analysis
            CliRun first = rag(
                    ollama,
                    "ingest",
                    docs.toString(),
                    "--vector-format",
                    "int8",
                    "--hnsw-m",
                    "24",
                    "--text-analysis",
                    "cjk",
                    "--json");

            // then the manifest records them and the summary shows them
            assertThat(first.exitCode()).as(first.toString()).isZero();
            IndexManifest manifest = LuceneVectorIndex.readManifest(index);
            assertThat(manifest.vectorFormat()).isEqualTo(new VectorFormat(VectorFormat.Encoding.INT8, 24, 100, 1));
            assertThat(manifest.textAnalysis()).isEqualTo(TextAnalysis.CJK);
            JsonNode summary = JSON.readTree(first.out()).path("index");
            assertThat(summary.path("textAnalysis").asText()).isEqualTo("cjk");
            assertThat(summary.path("vectorFormat").path("encoding").asText()).isEqualTo("int8");
            assertThat(summary.path("vectorFormat").path("maxConn").asInt()).isEqualTo(24);
            assertThat(summary.path("vectorFormat").path("beamWidth").asInt()).isEqualTo(100);
            assertThat(summary.path("vectorFormat").path("oversample").asInt()).isEqualTo(1);
            assertThat(summary.path("embedder").asText()).isEqualTo("ollama:" + EMBED);

            // and BM25 finds the word 上海 as a bigram: only the file with the word, not the one with 海上
            assertThat(keywordHits(ollama, "上海")).containsExactly("shanghai.md");

            // when run again without flags on unchanged files
            int requests = ollama.requests().size();
            CliRun again = rag(ollama, "ingest", docs.toString(), "--quiet");

            // then the index keeps its settings, says so, and the model is never asked (loaded lazily)
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out())
                    .contains("2 unchanged")
                    .contains("vectors hnsw-int8 m=24 beam=100 oversample=1, text analysis cjk.");
            assertThat(ollama.requests()).hasSize(requests);
            assertThat(LuceneVectorIndex.readManifest(index)).isEqualTo(manifest);

            // when a new file is added and a conflicting analysis is asked for
            Files.writeString(docs.resolve("beijing.md"), "# 北京\n\n北京是中国的首都。");
            CliRun conflict = rag(ollama, "ingest", docs.toString(), "--text-analysis", "english");

            // then it is a usage error naming the index, both settings and how to rebuild ...
            assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(conflict.err())
                    .contains("Index " + index + " was built with vector format hnsw-int8 m=24")
                    .contains("text analysis english (the index has cjk)")
                    .contains("delete " + index + " and ingest again, or ingest into another --index folder");
            // ... and nothing changed: same manifest, the new file not indexed, the old ones searchable
            assertThat(LuceneVectorIndex.readManifest(index)).isEqualTo(manifest);
            try (LuceneVectorIndex opened = LuceneVectorIndex.openReadOnly(index)) {
                assertThat(opened.stats().documents()).isEqualTo(2);
            }
            assertThat(keywordHits(ollama, "上海")).containsExactly("shanghai.md");

            // and a vector format asked for in the config file conflicts the same way
            Path config = Files.writeString(tmp.resolve("config.yaml"), "index:\n  vectorFormat: bbq\n");
            CliRun fromFile = rag(ollama, "ingest", docs.toString(), "--config", config.toString());
            assertThat(fromFile.exitCode()).as(fromFile.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(fromFile.err()).contains("vector format bbq (the index has int8)");

            // while asking for what the index has is fine (the flag wins over the file)
            CliRun same =
                    rag(ollama, "ingest", docs.toString(), "--config", config.toString(), "--vector-format", "int8");
            assertThat(same.exitCode()).as(same.toString()).isZero();
            assertThat(same.out()).contains("Indexed 1 file (");

            // and doctor shows the index's settings, and fails on the config file's conflicting ones
            CliRun doctor = rag(ollama, "doctor", "--config", config.toString());
            assertThat(doctor.out())
                    .contains("vectors hnsw-int8 m=24 beam=100 oversample=1, text analysis cjk")
                    .contains("FAIL  the config file's index settings differ from the index's: vector format bbq"
                            + " (the index has int8)");
            assertThat(doctor.exitCode()).isEqualTo(ExitCode.FAILURE);
        }
    }

    @Test
    void badFlagValuesAreUsageErrorsNamingTheFlagAndTheAllowedValues() throws Exception {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(CHAT, EMBED).dimension(32).build()) {
            CliRun encoding = rag(ollama, "ingest", docs.toString(), "--vector-format", "int2");
            assertThat(encoding.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(encoding.err())
                    .contains("--vector-format must be one of float32, int8, int4, bbq, but was \"int2\"");

            CliRun analysis = rag(ollama, "ingest", docs.toString(), "--text-analysis", "french");
            assertThat(analysis.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(analysis.err())
                    .contains("--text-analysis must be one of english, cjk, auto, but was \"french\"");

            CliRun beam = rag(ollama, "ingest", docs.toString(), "--hnsw-beam", "1");
            assertThat(beam.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(beam.err()).contains("--hnsw-beam must be between 2 and 3200, but was 1");

            CliRun oversample = rag(ollama, "ingest", docs.toString(), "--oversample", "3");
            assertThat(oversample.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(oversample.err()).contains("needs a quantized vector format");

            // and none of them created an index
            assertThat(LuceneVectorIndex.readManifest(index)).isNull();

            // while bbq with its own oversampling is a valid new index
            CliRun bbq = rag(ollama, "ingest", docs.toString(), "--vector-format", "bbq", "--oversample", "3");
            assertThat(bbq.exitCode()).as(bbq.toString()).isZero();
            assertThat(LuceneVectorIndex.readManifest(index).vectorFormat())
                    .isEqualTo(VectorFormat.parse("bbq oversample=3"));
        }
    }

    private List<String> keywordHits(OllamaTestServer ollama, String query) throws Exception {
        CliRun search = rag(ollama, "search", query, "--mode", "keyword", "--json");
        assertThat(search.exitCode()).as(search.toString()).isZero();
        List<String> files = new ArrayList<>();
        JSON.readTree(search.out())
                .path("hits")
                .forEach(h ->
                        files.add(Path.of(h.path("path").asText()).getFileName().toString()));
        return files;
    }

    private CliRun rag(OllamaTestServer ollama, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--index");
        all.add(index.toString());
        return CliRun.run(home, tmp, Map.of("OLLAMA_HOST", ollama.baseUrl().toString()), all.toArray(String[]::new));
    }
}
