package dev.localrag.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.testing.OllamaTestServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Embedding batches shared by several Ollama servers (test servers, each with its own faults). */
class PooledEmbedderTest {

    private static final String MODEL = "qwen3-embedding:0.6b-q8_0";
    private static final EmbedderSpec SPEC = new EmbedderSpec(EmbedderSpec.Provider.OLLAMA, MODEL);

    @Test
    void batchesAreSharedAndAServerThatDiesHasItsBatchesRetriedOnTheOthers() throws Exception {
        try (OllamaTestServer a = new OllamaTestServer(Set.of(MODEL), 32);
                OllamaTestServer b = new OllamaTestServer(Set.of(MODEL), 32);
                Embedder single = member(a, 2).embedder();
                PooledEmbedder pool = new PooledEmbedder(List.of(member(a, 2), member(b, 2)));
                ExecutorService threads = Executors.newFixedThreadPool(4)) {
            a.slowFirstToken("/api/embed", Duration.ofMillis(30));
            b.slowFirstToken("/api/embed", Duration.ofMillis(30));

            // when 4 threads embed 40 batches, and server b stops listening half way
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                List<String> batch = List.of("text " + i + " a", "text " + i + " b");
                int n = i;
                results.add(threads.submit(() -> {
                    if (n == 20) {
                        b.refuseConnections();
                    }
                    return pool.embedDocuments(batch);
                }));
            }

            // then every batch is answered, with the vectors one server alone gives
            for (int i = 0; i < 40; i++) {
                List<float[]> vectors = results.get(i).get();
                List<float[]> expected = single.embedDocuments(List.of("text " + i + " a", "text " + i + " b"));
                assertThat(vectors).hasSize(2);
                assertThat(vectors.get(0)).containsExactly(expected.get(0));
                assertThat(vectors.get(1)).containsExactly(expected.get(1));
            }
            // and both servers took batches before b went away, a all after
            List<Integer> perServer = pool.batchesPerServer();
            assertThat(perServer.get(0)).isPositive();
            assertThat(perServer.get(1)).isPositive();
            assertThat(perServer.get(0) + perServer.get(1)).isEqualTo(40);
        }
    }

    @Test
    void serversThatDisagreeOnTheDimensionAreAClearError() throws Exception {
        try (OllamaTestServer a = new OllamaTestServer(Set.of(MODEL), 32);
                OllamaTestServer b = new OllamaTestServer(Set.of(MODEL), 64);
                PooledEmbedder pool = new PooledEmbedder(List.of(member(a, 1), member(b, 1)))) {
            assertThatThrownBy(pool::dimension)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(a.baseUrl().toString())
                    .hasMessageContaining(b.baseUrl().toString())
                    .hasMessageContaining("32-d")
                    .hasMessageContaining("64-d");
        }
    }

    @Test
    void whenEveryServerFailsTheBatchFailsNamingThem() throws Exception {
        try (OllamaTestServer a = new OllamaTestServer(Set.of(MODEL), 32);
                OllamaTestServer b = new OllamaTestServer(Set.of(MODEL), 32);
                PooledEmbedder pool = new PooledEmbedder(List.of(member(a, 1), member(b, 1)))) {
            pool.dimension();
            a.refuseConnections();
            b.refuseConnections();
            assertThatThrownBy(() -> pool.embedDocuments(List.of("x")))
                    .hasMessageContaining("Every embedding server failed")
                    .hasMessageContaining(a.baseUrl().toString())
                    .hasMessageContaining(b.baseUrl().toString());
        }
    }

    @Test
    void ollamaHostsMakeTheRuntimesEmbedderSpreadBatchesOverEveryServer() throws Exception {
        try (OllamaTestServer a = new OllamaTestServer(Set.of(MODEL), 32);
                OllamaTestServer b = new OllamaTestServer(Set.of(MODEL), 32)) {
            a.slowFirstToken("/api/embed", Duration.ofMillis(50));
            b.slowFirstToken("/api/embed", Duration.ofMillis(50));
            OllamaSettings settings = OllamaSettings.builder()
                    .embeddingHosts(List.of(a.baseUrl(), b.baseUrl()))
                    .maxInFlight(1)
                    .build();
            try (dev.localrag.core.ollama.OllamaClient client = new dev.localrag.core.ollama.OllamaClient(settings);
                    Embedder embedder = Embedders.lazyShared(SPEC, client);
                    ExecutorService threads = Executors.newFixedThreadPool(2)) {
                List<Future<List<float[]>>> results = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    List<String> batch = List.of("text " + i);
                    results.add(threads.submit(() -> embedder.embedDocuments(batch)));
                }
                for (Future<List<float[]>> r : results) {
                    assertThat(r.get()).hasSize(1);
                }
            }
            assertThat(a.requests("/api/embed")).isNotEmpty();
            assertThat(b.requests("/api/embed")).isNotEmpty();
        }
    }

    @Test
    void openAiCompatibleServersInOllamaHostsShareTheBatchesUnderTheSpecsName() throws Exception {
        // given two OpenAI-compatible servers serving the same model, listed in ollama.hosts
        try (OllamaTestServer a = new OllamaTestServer(Set.of(MODEL), 32);
                OllamaTestServer b = new OllamaTestServer(Set.of(MODEL), 32)) {
            a.slowFirstToken("/v1/embeddings", Duration.ofMillis(50));
            b.slowFirstToken("/v1/embeddings", Duration.ofMillis(50));
            EmbedderSpec spec = EmbedderSpec.parse("openai:" + MODEL + "@" + a.baseUrl() + "/v1");
            OllamaSettings settings = OllamaSettings.builder()
                    .embeddingHosts(List.of(URI.create(a.baseUrl() + "/v1"), URI.create(b.baseUrl() + "/v1")))
                    .maxInFlight(1)
                    .build();
            // when the runtime's embedder embeds ten batches from two threads
            try (dev.localrag.core.ollama.OllamaClient client = new dev.localrag.core.ollama.OllamaClient(settings);
                    Embedder embedder = Embedders.lazyShared(spec, client);
                    ExecutorService threads = Executors.newFixedThreadPool(2)) {
                List<Future<List<float[]>>> results = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    List<String> batch = List.of("text " + i);
                    results.add(threads.submit(() -> embedder.embedDocuments(batch)));
                }
                for (Future<List<float[]>> r : results) {
                    assertThat(r.get()).hasSize(1).allSatisfy(v -> assertThat(v).hasSize(32));
                }
                // then both servers embedded, and the embedder keeps the spec the index records
                assertThat(embedder.spec()).isEqualTo(spec);
            }
            assertThat(a.requests("/v1/embeddings")).isNotEmpty();
            assertThat(b.requests("/v1/embeddings")).isNotEmpty();
        }
    }

    @Test
    void anInProcessEmbedderWithHostsIsRefusedByName() {
        OllamaSettings settings = OllamaSettings.builder()
                .embeddingHosts(List.of(URI.create("http://gpu-1:11434"), URI.create("http://gpu-2:11434")))
                .build();
        assertThatThrownBy(() -> Embedders.pooled(EmbedderSpec.DEFAULT_ONNX, settings))
                .hasMessageContaining("ollama.hosts")
                .hasMessageContaining("onnx:bge-small-en-v1.5");
    }

    private static PooledEmbedder.Member member(OllamaTestServer server, int maxInFlight) {
        OllamaSettings settings = OllamaSettings.builder()
                .baseUrl(server.baseUrl())
                .maxInFlight(maxInFlight)
                .maxRetries(0)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        return new PooledEmbedder.Member(
                server.baseUrl().toString(), OllamaEmbedder.create(SPEC, settings), maxInFlight);
    }
}
