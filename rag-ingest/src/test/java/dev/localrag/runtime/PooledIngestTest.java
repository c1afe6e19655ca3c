package dev.localrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.core.testing.OllamaTestServer;
import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestOptions;
import dev.localrag.ingest.IngestReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ingest with several embedding servers ({@code ollama.hosts}) keeps every server busy at once. */
class PooledIngestTest {

    private static final String MODEL = "test-embed:1b";

    @TempDir
    Path home;

    @Test
    void anIngestEmbedsOnEveryServerAtOnceAndStoresWhatOneServerWould() throws Exception {
        // given 24 files and two slow embedding servers that take one request at a time each
        Path docs = home.resolve("docs");
        Files.createDirectories(docs);
        for (int i = 0; i < 24; i++) {
            Files.writeString(
                    docs.resolve("f" + i + ".md"), "# File " + i + "\n\nThe text of file number " + i + ".\n");
        }
        try (OllamaTestServer a =
                        OllamaTestServer.builder().models(MODEL).dimension(16).build();
                OllamaTestServer b =
                        OllamaTestServer.builder().models(MODEL).dimension(16).build()) {
            a.slowFirstToken("/api/embed", Duration.ofMillis(40));
            b.slowFirstToken("/api/embed", Duration.ofMillis(40));

            // when the folder is ingested with both servers in ollama.hosts, in batches of two texts
            Map<String, List<ChunkRecord>> pooled = ingest("pooled", docs, a, List.of(a, b));
            int onA = a.requests("/api/embed").size();
            int onB = b.requests("/api/embed").size();

            // then both servers embedded (batches ran side by side), and the index holds what a
            // one-server ingest stores
            assertThat(onA).isPositive();
            assertThat(onB).isPositive();
            Map<String, List<ChunkRecord>> single = ingest("single", docs, a, List.of(a));
            assertThat(pooled).hasSize(24).hasSameSizeAs(single);
            pooled.forEach((id, chunks) -> {
                List<ChunkRecord> expected = single.get(id.replace("/pooled/", "/single/"));
                assertThat(chunks).hasSameSizeAs(expected);
                for (int i = 0; i < chunks.size(); i++) {
                    assertThat(chunks.get(i).text()).isEqualTo(expected.get(i).text());
                    assertThat(chunks.get(i).vector())
                            .containsExactly(expected.get(i).vector());
                }
            });
        }
    }

    private Map<String, List<ChunkRecord>> ingest(
            String name, Path docs, OllamaTestServer chat, List<OllamaTestServer> hosts) {
        RagConfig base = new ConfigLoader(Map.of("OLLAMA_HOST", chat.baseUrl().toString()), home).load(null);
        RagConfig config = base.withIndexDir(home.resolve(name))
                .withIngest(base.ingest().withIsolate(false)) // plain text: no parser processes needed
                .withEmbedder("ollama:" + MODEL)
                .withOllama(base.ollama().toBuilder()
                        .embeddingHosts(
                                hosts.stream().map(OllamaTestServer::baseUrl).toList())
                        .maxInFlight(1)
                        .embedBatchSize(2)
                        .build());
        try (RagRuntime rag = RagRuntime.builder(config).build()) {
            IngestReport report = rag.ingest(List.of(docs), IngestOptions.DEFAULT, IngestListener.NONE);
            assertThat(report.failures()).isEmpty();
            VectorIndex index = rag.index();
            Map<String, List<ChunkRecord>> out = new TreeMap<>();
            for (String id : index.documents().keySet()) {
                out.put(id.replace(docs.toString(), "/" + name + "/"), index.chunkRecords(id));
            }
            return out;
        }
    }
}
