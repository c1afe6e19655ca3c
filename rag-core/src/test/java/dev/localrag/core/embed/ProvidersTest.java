package dev.localrag.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.IncompleteAnswerException;
import dev.localrag.core.ModelNotFoundException;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.answer.Generator;
import dev.localrag.core.answer.Generators;
import dev.localrag.core.answer.OllamaGenerator;
import dev.localrag.core.answer.OpenAiGenerator;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.OpenAiTarget;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.testing.OllamaTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Providers are chosen by spec: ollama:MODEL, openai:MODEL@URL, onnx:NAME|PATH. */
class ProvidersTest {

    private static final String PROMPT = "Sources:\n[1] a\n[2] b\nQuestion: which port?";

    private static OllamaSettings settings(OllamaTestServer server, String chatModel) {
        return OllamaSettings.builder()
                .baseUrl(server.baseUrl())
                .chatModel(chatModel)
                .maxRetries(0)
                .build();
    }

    @Test
    void openAiSpecStreamsAnAnswerFromAnOpenAiCompatibleServer() {
        try (OllamaTestServer server =
                        OllamaTestServer.builder().models("qwen3:4b").build();
                OllamaClient client = new OllamaClient(settings(server, "x"))) {
            OllamaSettings s = settings(server, "openai:qwen3:4b@" + server.baseUrl() + "/v1");
            Generator generator = Generators.create(s, client);
            List<String> tokens = new ArrayList<>();

            String answer = generator.generate("system", PROMPT, tokens::add);

            assertThat(generator).isInstanceOf(OpenAiGenerator.class);
            assertThat(answer).isEqualTo("According to your documents, the answer is in these sources [1][2].");
            assertThat(String.join("", tokens)).isEqualTo(answer);
            assertThat(server.requests("/v1/chat/completions")
                            .getFirst()
                            .body()
                            .path("stream")
                            .asBoolean())
                    .isTrue();
        }
    }

    @Test
    void openAiStreamDroppedMidAnswerIsIncomplete() {
        try (OllamaTestServer server = OllamaTestServer.builder().models("m").build();
                OllamaClient client = new OllamaClient(settings(server, "x"))) {
            server.slowTokens(java.time.Duration.ofMillis(200)); // the drop comes after a pause, as in life
            server.dropAfterTokens(2);
            Generator generator = Generators.create(settings(server, "openai:m@" + server.baseUrl() + "/v1"), client);

            assertThatThrownBy(() -> generator.generate("system", PROMPT, t -> {}))
                    .isInstanceOfSatisfying(
                            IncompleteAnswerException.class,
                            e -> assertThat(e.partialText()).isEqualTo("According to "));
        }
    }

    @Test
    void openAiUnknownModelAndRefusedConnectionAreMapped() {
        try (OllamaTestServer server = OllamaTestServer.builder().models("m").build();
                OllamaClient client = new OllamaClient(settings(server, "x"))) {
            Generator unknown = Generators.create(settings(server, "openai:other@" + server.baseUrl() + "/v1"), client);

            assertThatThrownBy(() -> unknown.generate("s", PROMPT, t -> {}))
                    .isInstanceOf(ModelNotFoundException.class)
                    .hasMessageContaining("model other is not available at " + server.baseUrl() + "/v1");

            server.refuseConnections();
            Generator refused = Generators.create(settings(server, "openai:m@" + server.baseUrl() + "/v1"), client);
            assertThatThrownBy(() -> refused.generate("s", PROMPT, t -> {}))
                    .isInstanceOf(ModelUnavailableException.class)
                    .hasMessageContaining("not running at " + server.baseUrl() + "/v1");
        }
    }

    @Test
    void openAiEmbeddingsComeFromV1Embeddings() {
        try (OllamaTestServer server = OllamaTestServer.builder()
                        .models("nomic-embed-text")
                        .dimension(40)
                        .build();
                Embedder embedder = Embedders.create(
                        EmbedderSpec.parse("openai:nomic-embed-text@" + server.baseUrl() + "/v1"),
                        settings(server, "x"))) {

            List<float[]> vectors = embedder.embedDocuments(List.of("one", "two", "three"));

            assertThat(embedder).isInstanceOf(OpenAiEmbedder.class);
            assertThat(vectors).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(40));
            assertThat(server.requests("/v1/embeddings").getFirst().inputs()).containsExactly("one", "two", "three");
        }
    }

    @Test
    void plainAndOllamaPrefixedChatModelsUseTheNativeApi() {
        try (OllamaTestServer server =
                        OllamaTestServer.builder().models("qwen3:4b").build();
                OllamaClient client = new OllamaClient(settings(server, "qwen3:4b"))) {
            Generator plain = Generators.create(settings(server, "qwen3:4b"), client);
            Generator prefixed = Generators.create(settings(server, "ollama:qwen3:4b"), client);

            assertThat(plain).isInstanceOf(OllamaGenerator.class);
            assertThat(prefixed.model()).isEqualTo("qwen3:4b");
            assertThat(prefixed.generate("s", PROMPT, t -> {})).endsWith("[1][2].");
            assertThat(server.requests("/api/chat")).hasSize(1);
        }
    }

    @Test
    void badOpenAiSpecsNameTheProblem() {
        assertThatThrownBy(() -> EmbedderSpec.parse("openai:text-embedding-3-small"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("must be openai:MODEL@URL");
        assertThatThrownBy(() -> EmbedderSpec.parse("openai:m@ftp://host/v1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("must start with http:// or https://");
        assertThat(OpenAiTarget.parse("qwen3:4b@http://localhost:11434/v1/"))
                .isEqualTo(new OpenAiTarget("qwen3:4b", java.net.URI.create("http://localhost:11434/v1")));
    }

    @Test
    void inProcessMiniLmAndBgeZhLoadAndEmbed() {
        try (Embedder minilm = Embedders.create(EmbedderSpec.parse("onnx:all-minilm-l6-v2"), null);
                Embedder zh = Embedders.create(EmbedderSpec.parse("onnx:bge-small-zh-v1.5"), null)) {

            List<float[]> en = minilm.embedDocuments(List.of("The port is 11434.", "GPUs are supported."));
            float[] query = minilm.embedQuery("Which port does it use?");
            float[] zhVector = zh.embedQuery("端口是多少？");

            assertThat(minilm.dimension()).isEqualTo(384);
            assertThat(zh.dimension()).isEqualTo(512);
            assertThat(zhVector).hasSize(512);
            assertThat(dot(query, en.get(0))).isGreaterThan(dot(query, en.get(1)));
        }
    }

    @Test
    void aUserSuppliedOnnxModelLoadsFromAFolder(@TempDir Path dir) throws IOException {
        copy("/all-minilm-l6-v2-q.onnx", dir.resolve("model.onnx"));
        copy("/all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
        try (Embedder own = Embedders.create(EmbedderSpec.parse("onnx:" + dir), null);
                Embedder shipped = Embedders.create(EmbedderSpec.parse("onnx:all-minilm-l6-v2"), null)) {

            float[] a = own.embedDocuments(List.of("ports and hosts")).getFirst();
            float[] b = shipped.embedDocuments(List.of("ports and hosts")).getFirst();

            assertThat(a).hasSize(384);
            assertThat(dot(a, b)).isGreaterThan(0.999);
        }
    }

    @Test
    void aMissingOnnxModelOrTokenizerNamesTheFile(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Embedders.create(EmbedderSpec.parse("onnx:" + dir), null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(dir.resolve("model.onnx").toString());
        Files.writeString(dir.resolve("model.onnx"), "not a model");
        assertThatThrownBy(() -> Embedders.create(EmbedderSpec.parse("onnx:" + dir), null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString());
        assertThatThrownBy(() -> Embedders.create(EmbedderSpec.parse("onnx:e5-large"), null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("onnx:all-minilm-l6-v2, onnx:bge-small-en-v1.5, onnx:bge-small-zh-v1.5");
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = ProvidersTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Files.copy(in, to);
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
