package dev.localrag.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertThat(config.ollama().chatModel()).isEqualTo("qwen3:4b-instruct-2507-q4_K_M");
        assertThat(config.ollama().embeddingModel()).isEqualTo("qwen3-embedding:0.6b-q8_0");
        assertThat(config.chunking()).isEqualTo(ChunkingSettings.DEFAULT);
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
        assertThat(fromFile.ollama().chatModel()).isEqualTo("llama3.2");
        assertThat(fromFile.chunking()).isEqualTo(new ChunkingSettings(300, 30));
        assertThat(fromFile.answer()).isEqualTo(new AnswerSettings(16384, 1024, 0.5, false));

        // and the environment wins over the file
        RagConfig fromEnv =
                new ConfigLoader(Map.of("OLLAMA_HOST", "env-host", "LOCALRAG_INDEX", "/srv/idx"), home).load(null);
        assertThat(fromEnv.indexDir()).isEqualTo(Path.of("/srv/idx"));
        assertThat(fromEnv.ollama().baseUrl()).isEqualTo(URI.create("http://env-host:11434"));
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
}
