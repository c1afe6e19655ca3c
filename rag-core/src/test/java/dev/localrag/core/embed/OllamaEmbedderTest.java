package dev.localrag.core.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.testing.OllamaTestServer;
import dev.localrag.core.text.TokenEstimate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OllamaEmbedderTest {

    private static final String MODEL = "qwen3-embedding:0.6b-q8_0";
    private static final EmbedderSpec SPEC = new EmbedderSpec(EmbedderSpec.Provider.OLLAMA, MODEL);

    private static OllamaEmbedder embedder(OllamaTestServer server, UnaryOperator<OllamaSettings.Builder> tune) {
        return OllamaEmbedder.create(
                SPEC,
                tune.apply(OllamaSettings.builder().baseUrl(server.baseUrl()).retryBaseDelay(Duration.ofMillis(1)))
                        .build());
    }

    private static List<String> texts(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "passage number " + i + " about ports")
                .toList();
    }

    @Test
    void documentsGoInBatchesBoundedByCount() {
        try (OllamaTestServer server =
                        OllamaTestServer.builder().models(MODEL).dimension(24).build();
                OllamaEmbedder embedder = embedder(server, b -> b.embedBatchSize(4))) {

            List<float[]> vectors = embedder.embedDocuments(texts(10));

            assertThat(vectors).hasSize(10).allSatisfy(v -> assertThat(v).hasSize(24));
            assertThat(server.requests("/api/embed"))
                    .extracting(r -> r.inputs().size())
                    .containsExactly(4, 4, 2);
            assertThat(server.requests("/api/embed"))
                    .allSatisfy(r -> assertThat(r.body().path("truncate").asBoolean(true))
                            .isFalse());
            assertThat(embedder.preferredBatchSize()).isEqualTo(4);
        }
    }

    @Test
    void documentsGoInBatchesBoundedByTokens() {
        try (OllamaTestServer server = OllamaTestServer.builder().models(MODEL).build();
                OllamaEmbedder embedder =
                        embedder(server, b -> b.embedBatchSize(100).embedBatchTokens(64))) {
            List<String> texts = texts(12);

            embedder.embedDocuments(texts);

            List<OllamaTestServer.Request> batches = server.requests("/api/embed");
            assertThat(batches.size()).isGreaterThan(1);
            assertThat(batches)
                    .allSatisfy(r -> assertThat(r.inputs().stream()
                                    .mapToInt(TokenEstimate::forEmbedder)
                                    .sum())
                            .isLessThanOrEqualTo(64));
            assertThat(batches.stream().flatMap(r -> r.inputs().stream()).toList())
                    .containsExactlyElementsOf(texts);
        }
    }

    @Test
    void anInputLongerThanTheContextIsSplitNeverTruncated() {
        try (OllamaTestServer server = OllamaTestServer.builder()
                        .models(MODEL)
                        .contextLength(64)
                        .build();
                OllamaEmbedder embedder = embedder(server, b -> b)) {
            String longText = String.join(" ", texts(60)); // ~300 word tokens, 5x the context
            List<String> input = List.of("short one", longText);

            List<float[]> vectors = embedder.embedDocuments(input);

            assertThat(vectors).hasSize(2);
            assertThat(Vectors.normalize(vectors.get(1))).containsExactly(vectors.get(1), within(1e-5f));
            List<String> sent = server.requests("/api/embed").stream()
                    .flatMap(r -> r.inputs().stream())
                    .toList();
            assertThat(sent.size()).isGreaterThan(3);
            assertThat(sent)
                    .allSatisfy(t -> assertThat(OllamaTestServer.tokens(t)).isLessThanOrEqualTo(64));
            assertThat(String.join("", sent.subList(1, sent.size()))).isEqualTo(longText);
            assertThat(server.truncatedInputs()).isZero();
            assertThat(embedder.contextTokens()).isEqualTo(64);
            assertThat(server.requests("/api/embed"))
                    .allSatisfy(r -> assertThat(
                                    r.body().path("options").path("num_ctx").asInt())
                            .isEqualTo(64));
        }
    }

    @Test
    void whenTheEstimateIsLowAndOllamaRejectsTheInputItIsSplitFurther() {
        try (OllamaTestServer server = OllamaTestServer.builder()
                        .models(MODEL)
                        .contextLength(64)
                        .build();
                OllamaEmbedder embedder = embedder(server, b -> b)) {
            String dense = "a;".repeat(45); // 90 server tokens, but few characters per token

            List<float[]> vectors = embedder.embedDocuments(List.of("first", dense));

            assertThat(vectors).hasSize(2);
            // the batch, then "first" alone, the dense text alone (rejected), then its pieces
            List<List<String>> sent = server.requests("/api/embed").stream()
                    .map(OllamaTestServer.Request::inputs)
                    .toList();
            assertThat(sent).hasSize(4);
            assertThat(sent.get(0)).containsExactly("first", dense);
            assertThat(sent.get(1)).containsExactly("first");
            assertThat(sent.get(2)).containsExactly(dense);
            List<String> pieces = sent.get(3);
            assertThat(pieces).hasSizeGreaterThan(1);
            assertThat(String.join("", pieces)).isEqualTo(dense);
            assertThat(pieces)
                    .allSatisfy(t -> assertThat(OllamaTestServer.tokens(t)).isLessThanOrEqualTo(64));
            assertThat(server.truncatedInputs()).isZero();
        }
    }

    @Test
    void configuredNumCtxWinsOverTheModelsTrainedContext() {
        try (OllamaTestServer server = OllamaTestServer.builder()
                        .models(MODEL)
                        .contextLength(32_768)
                        .build();
                OllamaEmbedder embedder = embedder(server, b -> b.numCtx(Map.of(MODEL, 1024)))) {

            embedder.embedDocuments(List.of("a"));

            assertThat(embedder.contextTokens()).isEqualTo(1024);
            assertThat(server.requests("/api/embed")
                            .getFirst()
                            .body()
                            .path("options")
                            .path("num_ctx")
                            .asInt())
                    .isEqualTo(1024);
        }
    }

    @Test
    void theDimensionIsReadFromTheModel() {
        try (OllamaTestServer server =
                        OllamaTestServer.builder().models(MODEL).dimension(48).build();
                OllamaEmbedder embedder = embedder(server, b -> b)) {

            assertThat(embedder.dimension()).isEqualTo(48);
            assertThat(embedder.embedQuery("which port?")).hasSize(48);
        }
    }

    @Test
    void queriesCarryTheQwen3InstructionAndGoFirst() throws Exception {
        try (OllamaTestServer server = OllamaTestServer.builder().models(MODEL).build();
                OllamaClient client = new OllamaClient(OllamaSettings.builder()
                        .baseUrl(server.baseUrl())
                        .maxInFlight(1)
                        .embedBatchSize(1)
                        .build())) {
            OllamaEmbedder embedder = OllamaEmbedder.create(SPEC, client);
            embedder.embedDocuments(List.of("warm up")); // reads the context length first
            server.slowFirstToken(Duration.ofMillis(150));
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofVirtual().start(() -> embedder.embedDocuments(texts(4))));
            Thread.sleep(60);
            threads.add(Thread.ofVirtual().start(() -> embedder.embedQuery("which port")));
            for (Thread t : threads) {
                t.join(10_000);
            }

            List<String> order = server.requests("/api/embed").stream()
                    .map(r -> r.inputs().getFirst())
                    .toList();
            assertThat(order).hasSize(6);
            assertThat(order.get(2))
                    .startsWith("Instruct: Given a web search query")
                    .endsWith("which port");
            assertThat(server.peakInFlight()).isEqualTo(1);
        }
    }

    @Test
    void withOnnxVectorsBehindTheTestServerRetrievalThroughOllamaIsMeaningful() {
        try (OllamaTestServer server = OllamaTestServer.builder()
                        .models(MODEL)
                        .onnxEmbeddings()
                        .build();
                OllamaEmbedder embedder = embedder(server, b -> b)) {
            List<float[]> docs = embedder.embedDocuments(List.of(
                    "Ollama listens on port 11434; change it with OLLAMA_HOST.",
                    "Nvidia GPUs with compute capability 5.0 are supported."));

            float[] query = embedder.embedQuery("Which port does the server listen on?");

            assertThat(embedder.dimension()).isEqualTo(384);
            assertThat(dot(query, docs.get(0))).isGreaterThan(dot(query, docs.get(1)));
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void tokenEstimateSplitsWithoutLosingText() {
        String text = "日本語のテキスト and English words mixed together " + "x".repeat(100);

        List<String> pieces = TokenEstimate.splitForEmbedder(text, 10);

        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(pieces)
                .allSatisfy(p -> assertThat(TokenEstimate.forEmbedder(p)).isLessThanOrEqualTo(10));
        assertThat(TokenEstimate.splitForEmbedder("short", 10)).containsExactly("short");
    }

    private static org.assertj.core.data.Offset<Float> within(float f) {
        return org.assertj.core.data.Offset.offset(f);
    }
}
