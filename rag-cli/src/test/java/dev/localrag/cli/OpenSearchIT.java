package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.OpenSearchLocation;
import dev.localrag.core.index.OpenSearchSettings;
import dev.localrag.core.index.OpenSearchVectorIndex;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.core.testing.HashingEmbedder;
import dev.localrag.core.testing.OllamaTestServer;
import dev.localrag.core.testing.OpenSearchTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against an index on a real 3-node OpenSearch cluster (one per test JVM, skipped when it
 * cannot start): ingest, incremental sync, search and doctor unchanged; a node lost during an
 * ingest and during queries; two ingests into one index. Embeddings from the Ollama test server.
 */
class OpenSearchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "qwen3-embedding:0.6b-q8_0";
    private static final int DIMENSION = 64;

    @TempDir
    Path tmp;

    private OpenSearchTestCluster cluster;

    @BeforeEach
    void cluster() {
        cluster = OpenSearchTestCluster.shared();
    }

    @Test
    void ingestSyncSearchAndDoctorWorkOnTheClusterAsOnAFolder() throws Exception {
        // given a small folder and an index on the cluster with 2 shards, 1 replica (config file)
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("ports.md"), "# Ports\n\nOllama listens on port 11434 by default.");
        Files.writeString(docs.resolve("gpu.md"), "# GPUs\n\nLarge models need a GPU with enough memory.");
        Files.writeString(docs.resolve("tea.md"), "# Tea\n\nGreen tea is brewed at 80 degrees.");
        String url = cluster.url(OpenSearchTestCluster.newIndexName("cli"));
        Path config = config(2, 1);
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of(MODEL), DIMENSION)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());

            // when the folder is ingested
            CliRun first = CliRun.run(
                    tmp, tmp, env, "ingest", docs.toString(), "--index", url, "--config", config.toString(), "--json");

            // then every file is indexed there
            assertThat(first.exitCode()).as(first.toString()).isZero();
            JsonNode summary = JSON.readTree(first.out());
            assertThat(summary.path("added").asInt()).isEqualTo(3);
            assertThat(summary.path("index").path("path").asText()).isEqualTo(url);
            assertThat(summary.path("index").path("documents").asInt()).isEqualTo(3);

            // and a keyword search finds the right file
            CliRun search = CliRun.run(
                    tmp, tmp, env, "search", "port 11434", "--index", url, "--mode", "keyword", "--json", "-k", "2");
            assertThat(search.exitCode()).as(search.toString()).isZero();
            assertThat(JSON.readTree(search.out())
                            .path("hits")
                            .get(0)
                            .path("path")
                            .asText())
                    .endsWith("ports.md");

            // and an incremental sync changes only what changed
            Files.writeString(docs.resolve("tea.md"), "# Tea\n\nBlack tea is brewed at 95 degrees.");
            Files.delete(docs.resolve("gpu.md"));
            CliRun sync = CliRun.run(
                    tmp, tmp, env, "ingest", docs.toString(), "--index", url, "--config", config.toString(), "--json");
            assertThat(sync.exitCode()).as(sync.toString()).isZero();
            JsonNode changes = JSON.readTree(sync.out());
            assertThat(changes.path("updated").asInt()).isEqualTo(1);
            assertThat(changes.path("deleted").asInt()).isEqualTo(1);
            assertThat(changes.path("unchanged").asInt()).isEqualTo(1);
            assertThat(changes.path("index").path("documents").asInt()).isEqualTo(2);
            CliRun hybrid = CliRun.run(tmp, tmp, env, "search", "black tea", "--index", url, "--json", "-k", "1");
            assertThat(JSON.readTree(hybrid.out())
                            .path("hits")
                            .get(0)
                            .path("text")
                            .asText())
                    .contains("Black tea");

            // and doctor reports the cluster's health and the index's layout
            CliRun doctor = CliRun.run(tmp, tmp, env, "doctor", "--index", url);
            assertThat(doctor.out())
                    .containsPattern("OpenSearch cluster \\S+: green, 3 nodes; index \\S+: 2 shards, 1 replicas")
                    .contains("index " + url + ": 2 documents");
        }
    }

    @Test
    void losingANodeDuringAnIngestAndDuringQueriesLosesNothing() throws Exception {
        // given 40 files, each with a known number of paragraphs, and an index with 2 shards, 1 replica
        Path docs = Files.createDirectories(tmp.resolve("many"));
        for (int i = 0; i < 40; i++) {
            StringBuilder text = new StringBuilder("# File " + i + "\n\n");
            for (int p = 0; p <= i % 4; p++) {
                text.append("Paragraph ")
                        .append(p)
                        .append(" of file ")
                        .append(i)
                        .append(" about ports.\n\n");
            }
            Files.writeString(docs.resolve("f" + i + ".md"), text);
        }
        String url = cluster.url(OpenSearchTestCluster.newIndexName("failover"));
        Path config = config(2, 1);
        OpenSearchLocation location = OpenSearchLocation.parse(url);
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of(MODEL), DIMENSION)) {
            ollama.slowFirstToken("/api/embed", Duration.ofMillis(150)); // an ingest long enough to lose a node in
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());
            List<CliRun> ingest = new ArrayList<>();
            Thread ingester = new Thread(() -> ingest.add(CliRun.run(
                    tmp, tmp, env, "ingest", docs.toString(), "--index", url, "--config", config.toString())));

            // when a node stops while the ingest runs and queries are answered
            ingester.start();
            while (ollama.requests("/api/embed").size() < 3 && ingester.isAlive()) {
                Thread.sleep(20);
            }
            Queries queries = new Queries(location);
            queries.start();
            cluster.stopNode(1);
            try {
                ingester.join();
                queries.stopAfter(20);

                // then the ingest completed, and every query was answered in full
                assertThat(ingest.getFirst().exitCode())
                        .as(ingest.getFirst().toString())
                        .isZero();
                assertThat(queries.errors).isEmpty();
                assertThat(queries.answered.get()).isGreaterThanOrEqualTo(20);
                assertThat(queries.short_).isEmpty();

                // and no document is lost or partial: each has exactly the chunks a local index of the folder has
                CliRun local = CliRun.run(
                        tmp,
                        tmp,
                        env,
                        "ingest",
                        docs.toString(),
                        "--index",
                        tmp.resolve("local").toString(),
                        "--config",
                        config.toString());
                assertThat(local.exitCode()).as(local.toString()).isZero();
                try (VectorIndex index = OpenSearchVectorIndex.openReadOnly(location, OpenSearchSettings.DEFAULT);
                        VectorIndex reference = LuceneVectorIndex.openReadOnly(tmp.resolve("local"))) {
                    assertThat(index.documents().keySet())
                            .hasSize(40)
                            .isEqualTo(reference.documents().keySet());
                    for (String id : reference.documents().keySet()) {
                        assertThat(index.chunkRecords(id)).as(id).isEqualTo(reference.chunkRecords(id));
                    }
                    assertThat(index.stats()).isEqualTo(reference.stats());
                }
            } finally {
                cluster.startNode(1);
            }
        }
    }

    @Test
    void twoIngestsIntoOneIndexKeepEachOthersDocuments() throws Exception {
        // given two folders
        Path a = Files.createDirectories(tmp.resolve("team-a"));
        Path b = Files.createDirectories(tmp.resolve("team-b"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(a.resolve("a" + i + ".md"), "# A " + i + "\n\nTeam A note " + i + ".");
            Files.writeString(b.resolve("b" + i + ".md"), "# B " + i + "\n\nTeam B note " + i + ".");
        }
        String url = cluster.url(OpenSearchTestCluster.newIndexName("shared"));
        Path config = config(2, 1);
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of(MODEL), DIMENSION)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());
            // the index exists before the two ingests race (as a team's shared index would)
            CliRun create =
                    CliRun.run(tmp, tmp, env, "ingest", a.toString(), "--index", url, "--config", config.toString());
            assertThat(create.exitCode()).as(create.toString()).isZero();
            Files.writeString(a.resolve("a0.md"), "# A 0\n\nTeam A note 0, revised.");

            // when two ingests of different folders run at once
            List<CliRun> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread first = new Thread(() -> runs.add(
                    CliRun.run(tmp, tmp, env, "ingest", a.toString(), "--index", url, "--config", config.toString())));
            Thread second = new Thread(() -> runs.add(
                    CliRun.run(tmp, tmp, env, "ingest", b.toString(), "--index", url, "--config", config.toString())));
            first.start();
            second.start();
            first.join();
            second.join();

            // then both succeed and the index holds both folders
            assertThat(runs)
                    .allSatisfy(r -> assertThat(r.exitCode()).as(r.toString()).isZero());
            try (VectorIndex index =
                    OpenSearchVectorIndex.openReadOnly(OpenSearchLocation.parse(url), OpenSearchSettings.DEFAULT)) {
                assertThat(index.documents()).hasSize(20);
                assertThat(index.chunks(a.resolve("a0.md").toString()))
                        .extracting(SearchHit::text)
                        .anySatisfy(t -> assertThat(t).contains("revised"));
            }
        }
    }

    private Path config(int shards, int replicas) throws Exception {
        Path file = tmp.resolve("config.yaml");
        Files.writeString(file, "index:\n  opensearch:\n    shards: " + shards + "\n    replicas: " + replicas + "\n");
        return file;
    }

    /** Keyword and vector queries in a loop; each must return its full k. */
    private static final class Queries extends Thread {
        private final OpenSearchLocation location;
        private final HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger answered = new AtomicInteger();
        final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> short_ = new ConcurrentLinkedQueue<>();

        Queries(OpenSearchLocation location) {
            this.location = location;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (VectorIndex index = OpenSearchVectorIndex.openReadOnly(location, OpenSearchSettings.DEFAULT)) {
                while (!stop.get()) {
                    int documents = index.stats().documents();
                    for (SearchMode mode : SearchMode.values()) {
                        List<SearchHit> hits = index.search(mode, "ports file", embedder.embedQuery("ports file"), 3);
                        if (documents >= 3 && hits.size() < 3) {
                            short_.add(mode + ": " + hits.size() + " hits with " + documents + " documents");
                        }
                        answered.incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }

        void stopAfter(int atLeast) throws InterruptedException {
            while (answered.get() < atLeast && isAlive()) {
                Thread.sleep(20);
            }
            stop.set(true);
            join();
        }
    }
}
