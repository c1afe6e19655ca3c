package dev.localrag.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.index.OpenSearchLocation;
import dev.localrag.core.index.TextAnalysis;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.index.VectorFormat.Encoding;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @TempDir
    Path home;

    @Test
    void defaultsWithoutFileOrEnvironment() {
        // when nothing is configured
        RagConfig config = new ConfigLoader(Map.of(), home).load(null);

        // then the documented defaults apply
        assertThat(config.indexDir()).isEqualTo(home.resolve(".local/share/localrag/index"));
        assertThat(config.embedder()).isNull();
        assertThat(config.topK()).isEqualTo(6);
        assertThat(config.answer()).isEqualTo(AnswerSettings.DEFAULT);
        assertThat(config.ollama().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:11434"));
        assertThat(config.ollama().chatModel()).hasToString("qwen3:4b-instruct-2507-q4_K_M");
        assertThat(config.ollama().embeddingModel()).isEqualTo("qwen3-embedding:0.6b-q8_0");
        assertThat(config.chunking()).isEqualTo(ChunkingSettings.DEFAULT);
    }

    @Test
    void anOpenSearchIndexWithCredentialsFromTheEnvironmentAndSeveralEmbeddingServers() throws IOException {
        // given a config file naming an OpenSearch index, its settings, and two embedding servers
        write(home.resolve(".config/localrag/config.yaml"), """
                index:
                  path: opensearch://10.0.0.5:9200,10.0.0.6:9201/team-docs
                  opensearch:
                    username: rag
                    password: "${OS_PASSWORD}"
                    caFile: ~/ca.pem
                    shards: 3
                    replicas: 2
                ollama:
                  hosts: [http://gpu-1:11434, gpu-2]
                """);

        // when loaded with the password in the environment
        RagConfig config = new ConfigLoader(Map.of("OS_PASSWORD", "s3cret"), home).load(null);

        // then the index is typed, the settings are read, and secrets never print
        assertThat(config.index()).isInstanceOf(OpenSearchLocation.class);
        OpenSearchLocation location = (OpenSearchLocation) config.index();
        assertThat(location.index()).isEqualTo("team-docs");
        assertThat(location.nodes())
                .containsExactly(URI.create("http://10.0.0.5:9200"), URI.create("http://10.0.0.6:9201"));
        assertThat(config.opensearch().username()).isEqualTo("rag");
        assertThat(config.opensearch().password()).isEqualTo("s3cret");
        assertThat(config.opensearch().caFile()).isEqualTo(home.resolve("ca.pem"));
        assertThat(config.opensearch().shards()).isEqualTo(3);
        assertThat(config.opensearch().replicas()).isEqualTo(2);
        assertThat(config.opensearch().toString()).doesNotContain("s3cret");
        assertThat(config.ollama().embeddingHosts())
                .containsExactly(URI.create("http://gpu-1:11434"), URI.create("http://gpu-2:11434"));
        assertThatThrownBy(config::indexDir).isInstanceOf(IllegalStateException.class);

        // and a bad URL is an error naming it and the expected form
        assertThatThrownBy(() -> new ConfigLoader(Map.of("LOCALRAG_INDEX", "opensearch://host/x"), home).load(null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("opensearch://host/x")
                .hasMessageContaining("HOST:PORT");
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws IOException {
        // given a config file and environment variables that both set the index and host
        Path file = write(home.resolve(".config/localrag/config.yaml"), """
                index: ~/docs-index
                embedder: onnx:bge-small-en-v1.5
                topK: 8
                ollama:
                  host: http://file-host:1234
                  chatModel: llama3.2
                chunking:
                  maxTokens: 300
                  overlapTokens: 30
                answer:
                  contextTokens: 16384
                  minRelevance: 0.5
                  condenseFollowUps: false
                """);

        // when loaded with only the file
        RagConfig fromFile = new ConfigLoader(Map.of(), home).load(null);

        // then the file wins over defaults
        assertThat(file).exists();
        assertThat(fromFile.indexDir()).isEqualTo(home.resolve("docs-index"));
        assertThat(fromFile.embedder()).isEqualTo("onnx:bge-small-en-v1.5");
        assertThat(fromFile.topK()).isEqualTo(8);
        assertThat(fromFile.ollama().baseUrl()).isEqualTo(URI.create("http://file-host:1234"));
        assertThat(fromFile.ollama().chatModel()).hasToString("llama3.2");
        assertThat(fromFile.chunking()).isEqualTo(new ChunkingSettings(300, 30));
        assertThat(fromFile.answer()).isEqualTo(new AnswerSettings(16384, 1024, 0.5, false));

        // and the environment wins over the file
        RagConfig fromEnv =
                new ConfigLoader(Map.of("OLLAMA_HOST", "env-host", "LOCALRAG_INDEX", "/srv/idx"), home).load(null);
        assertThat(fromEnv.indexDir()).isEqualTo(Path.of("/srv/idx"));
        assertThat(fromEnv.ollama().baseUrl()).isEqualTo(URI.create("http://env-host:11434"));
    }

    @Test
    void aFileOfOnlyCommentsIsTheDefaults() throws IOException {
        // given a config file with every setting commented out, as `rag config init` writes it
        Path file = write(home.resolve("commented.yaml"), "# topK: 8\n# ollama:\n#   host: http://x:1\n\n");

        // when it is loaded
        RagConfig config = new ConfigLoader(Map.of(), home).load(file);

        // then the defaults apply
        assertThat(config.topK()).isEqualTo(RagConfig.DEFAULT_TOP_K);
        assertThat(config.ollama().baseUrl().toString()).isEqualTo("http://127.0.0.1:11434");
    }

    @Test
    void unknownSettingIsAnErrorNamingItTheFileAndTheKnownOnes() throws IOException {
        Path file = write(home.resolve("c.yaml"), "topk: 3\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'topk'")
                .hasMessageContaining("topK");
    }

    @Test
    void badValueNamesTheSettingAndItsLimits() throws IOException {
        Path file = write(home.resolve("c.yaml"), "chunking:\n  maxTokens: 5\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("chunking.maxTokens")
                .hasMessageContaining("5");
    }

    @Test
    void explicitConfigFileMustExist() {
        Path missing = home.resolve("nope.yaml");

        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(missing))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    @Test
    void connectionSettingsComeFromTheFile() throws IOException {
        // given every connection setting in the file, a header naming an environment variable
        write(home.resolve(".config/localrag/config.yaml"), """
                ollama:
                  host: https://ollama.example.com
                  timeoutSeconds: 600
                  connectTimeoutMillis: 2000
                  firstTokenTimeoutSeconds: 90
                  idleTimeoutSeconds: 20
                  headers:
                    Authorization: "Bearer ${OLLAMA_TOKEN}"
                    X-Team: search
                  keepAlive: 30m
                  numCtx:
                    qwen3-embedding:0.6b-q8_0: 2048
                  maxInFlight: 4
                  maxRetries: 5
                  retryBaseDelayMillis: 250
                  autoPull: true
                  embedBatchSize: 16
                  embedBatchTokens: 4096
                """);

        // when loaded with the variable set
        OllamaSettings o = new ConfigLoader(Map.of("OLLAMA_TOKEN", "s3cret"), home)
                .load(null)
                .ollama();

        // then each setting is taken, https kept and the header expanded
        assertThat(o.baseUrl()).isEqualTo(URI.create("https://ollama.example.com:443"));
        assertThat(o.timeout()).hasSeconds(600);
        assertThat(o.connectTimeout()).hasMillis(2000);
        assertThat(o.firstTokenTimeout()).hasSeconds(90);
        assertThat(o.idleTimeout()).hasSeconds(20);
        assertThat(o.headers()).containsEntry("Authorization", "Bearer s3cret").containsEntry("X-Team", "search");
        assertThat(o.toString()).contains("Authorization=***").doesNotContain("s3cret");
        assertThat(o.keepAlive()).isEqualTo("30m");
        assertThat(o.numCtxFor("qwen3-embedding:0.6b-q8_0")).isEqualTo(2048);
        assertThat(o.numCtxFor("other")).isZero();
        assertThat(o.maxInFlight()).isEqualTo(4);
        assertThat(o.maxRetries()).isEqualTo(5);
        assertThat(o.retryBaseDelay()).hasMillis(250);
        assertThat(o.autoPull()).isTrue();
        assertThat(o.embedBatchSize()).isEqualTo(16);
        assertThat(o.embedBatchTokens()).isEqualTo(4096);
    }

    @Test
    void connectionDefaultsAreSafeForOneLocalOllama() {
        OllamaSettings o = new ConfigLoader(Map.of(), home).load(null).ollama();

        assertThat(o.maxInFlight()).isEqualTo(2);
        assertThat(o.headers()).isEmpty();
        assertThat(o.keepAlive()).isNull();
        assertThat(o.autoPull()).isFalse();
        assertThat(o.maxRetries()).isEqualTo(3);
    }

    @Test
    void anUnsetVariableInAHeaderOrABadValueIsAnErrorNamingTheSetting() throws IOException {
        write(home.resolve(".config/localrag/config.yaml"), """
                ollama:
                  headers:
                    Authorization: "Bearer ${OLLAMA_TOKEN}"
                """);

        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ollama.headers.Authorization uses ${OLLAMA_TOKEN}");

        write(home.resolve(".config/localrag/config.yaml"), """
                ollama:
                  maxInFlight: 0
                """);
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ollama.maxInFlight must be between 1 and 256, but was 0");
    }

    @Test
    void indexSectionGivesTheFolderAndHowANewIndexIsBuilt() throws IOException {
        // given an index section with the folder and every creation setting
        write(home.resolve(".config/localrag/config.yaml"), """
                index:
                  path: ~/zh-index
                  vectorFormat: int8
                  maxConn: 32
                  beamWidth: 200
                  oversample: 3
                  textAnalysis: cjk
                """);

        // when loaded
        RagConfig config = new ConfigLoader(Map.of(), home).load(null);

        // then the folder and each setting are taken, and a new index would be built with them
        assertThat(config.indexDir()).isEqualTo(home.resolve("zh-index"));
        assertThat(config.indexSettings()).isEqualTo(new IndexSettings(Encoding.INT8, 32, 200, 3, TextAnalysis.CJK));
        assertThat(config.indexSettings().newVectorFormat()).isEqualTo(new VectorFormat(Encoding.INT8, 32, 200, 3));
        assertThat(config.indexSettings().newTextAnalysis()).isEqualTo(TextAnalysis.CJK);
    }

    @Test
    void withoutIndexSettingsANewIndexIsBuiltAsBefore() throws IOException {
        // given the short form, index: DIR, which only names the folder
        write(home.resolve(".config/localrag/config.yaml"), "index: /srv/idx\n");

        // when loaded
        RagConfig config = new ConfigLoader(Map.of(), home).load(null);

        // then nothing is asked for, and a new index gets float32 HNSW and auto analysis
        assertThat(config.indexDir()).isEqualTo(Path.of("/srv/idx"));
        assertThat(config.indexSettings()).isEqualTo(IndexSettings.DEFAULT);
        assertThat(config.indexSettings().newVectorFormat()).isEqualTo(VectorFormat.DEFAULT);
        assertThat(config.indexSettings().newTextAnalysis()).isEqualTo(TextAnalysis.AUTO);

        // and a section with only a vector format keeps the default folder and defaults for the rest
        write(home.resolve(".config/localrag/config.yaml"), "index:\n  vectorFormat: BBQ\n");
        RagConfig bbq = new ConfigLoader(Map.of(), home).load(null);
        assertThat(bbq.indexDir()).isEqualTo(home.resolve(".local/share/localrag/index"));
        assertThat(bbq.indexSettings().newVectorFormat()).isEqualTo(VectorFormat.of(Encoding.BBQ));
        assertThat(bbq.indexSettings().newVectorFormat().oversample()).isEqualTo(5);
        assertThat(bbq.indexSettings().textAnalysis()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "vectorFormat: int2  | index.vectorFormat must be one of float32, int8, int4, bbq, but was \"int2\"",
                "textAnalysis: french | index.textAnalysis must be one of english, cjk, auto, but was \"french\"",
                "maxConn: 1          | index.maxConn must be between 2 and 512, but was 1",
                "beamWidth: 5000     | index.beamWidth must be between 2 and 3200, but was 5000",
                "oversample: 0       | index.oversample must be between 1 and 100, but was 0",
                "oversample: 101     | index.oversample must be between 1 and 100, but was 101"
            })
    void aBadIndexSettingNamesTheKeyTheValueAndWhatIsAllowed(String setting, String message) throws IOException {
        Path file = write(home.resolve("c.yaml"), "index:\n  " + setting + "\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(message);
    }

    @Test
    void oversamplingFloat32VectorsOrAnUnknownIndexKeyIsAnError() throws IOException {
        Path file = write(home.resolve("c.yaml"), "index:\n  vectorFormat: float32\n  oversample: 3\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("index.oversample must be 1 for index.vectorFormat float32")
                .hasMessageContaining("but was 3");

        write(file, "index:\n  vectorformat: int8\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown setting 'index.vectorformat'")
                .hasMessageContaining("vectorFormat");
    }

    @Test
    void aMistakeNamesItsLineWhatIsExpectedAndTheNearestKey() throws IOException {
        Path file = write(home.resolve("m.yaml"), "topK: 5\nollama:\n  chatModle: llama3\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file + ", line 3: unknown setting 'ollama.chatModle'")
                .hasMessageContaining("Did you mean 'chatModel'?");

        write(file, "topK: 5\ntopK: 6\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("line 2: setting 'topK' appears twice");

        write(file, "embedder: onnx:bge-small-en-v1.5\ntopK: six\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("line 2: bad value for 'topK': expected a whole number, but got 'six'")
                .message()
                .doesNotContain("java.lang")
                .doesNotContain("Cannot deserialize");
    }

    @Test
    void theAuditLogDefaultsToBesideTheIndexAndCanBeSet() throws IOException {
        Path file = write(home.resolve("a.yaml"), "index:\n  path: /data/idx\n");
        assertThat(new ConfigLoader(Map.of(), home).load(file).auditLog()).isEqualTo(Path.of("/data/idx-audit.jsonl"));

        write(file, "audit:\n  log: ~/audit.jsonl\n  maxBytes: 8192\n  keep: 2\n");
        RagConfig config = new ConfigLoader(Map.of(), home).load(file);
        assertThat(config.auditLog()).isEqualTo(home.resolve("audit.jsonl"));
        assertThat(config.audit().maxBytes()).isEqualTo(8192);
        assertThat(config.audit().keep()).isEqualTo(2);
    }
}
