package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.ollama.OllamaClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.ollama.OllamaContainer;

/**
 * Ingest and ask against a real Ollama with the two default models: the one at {@code
 * $OLLAMA_BASE_URL} when set, else one started in Docker by Testcontainers. Skipped (not failed)
 * when neither is available. Pulling the models takes minutes and about 3.5 GB the first time.
 */
@EnabledIf(
        value = "available",
        disabledReason = "no Docker and no OLLAMA_BASE_URL: set OLLAMA_BASE_URL="
                + "http://127.0.0.1:11434 to run this against a running Ollama")
class RealOllamaIT {

    static final String BASE_URL_ENV = "OLLAMA_BASE_URL";
    private static final String IMAGE = "ollama/ollama:0.12.6";

    private static OllamaContainer container;
    private static URI baseUrl;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findOrStartOllama() {
        String explicit = System.getenv(BASE_URL_ENV);
        if (explicit != null && !explicit.isBlank()) {
            baseUrl = URI.create(explicit.strip());
        } else {
            container = new OllamaContainer(IMAGE);
            container.start();
            baseUrl = URI.create(container.getEndpoint());
        }
        OllamaSettings settings = OllamaSettings.builder()
                .baseUrl(baseUrl)
                .timeout(Duration.ofMinutes(30))
                .build();
        try (OllamaClient client = new OllamaClient(settings)) {
            for (String model :
                    new String[] {OllamaSettings.DEFAULT_CHAT_MODEL, OllamaSettings.DEFAULT_EMBEDDING_MODEL}) {
                if (!client.models().contains(model)) {
                    client.pull(model, p -> {});
                }
            }
        }
    }

    static boolean available() {
        String explicit = System.getenv(BASE_URL_ENV);
        return (explicit != null && !explicit.isBlank()) || dockerAvailable();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.stop();
        }
    }

    @Test
    void ingestAndAskWithTheDefaultModels() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(
                docs.resolve("port.md"),
                "# Changing the port\n\nOllama binds 127.0.0.1 port 11434 by default. Change the bind address and"
                        + " port with the OLLAMA_HOST environment variable, e.g. OLLAMA_HOST=0.0.0.0:8080.");
        Files.writeString(
                docs.resolve("gpu.md"), "# GPUs\n\nOllama supports Nvidia GPUs with compute capability 5.0 and newer.");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = Map.of("OLLAMA_HOST", baseUrl.toString());
        Path index = tmp.resolve("idx");

        CliRun ingest = CliRun.run(
                home,
                tmp,
                env,
                "ingest",
                docs.toString(),
                "--index",
                index.toString(),
                "--embedder",
                "ollama:" + OllamaSettings.DEFAULT_EMBEDDING_MODEL);
        CliRun ask =
                CliRun.run(home, tmp, env, "ask", "Which port does Ollama use?", "--index", index.toString(), "--json");
        CliRun doctor = CliRun.run(home, tmp, env, "doctor", "--index", index.toString());

        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ask.exitCode()).as(ask.toString()).isZero();
        assertThat(ask.out()).contains("\"kind\" : \"generated\"").contains("11434");
        assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
    }
}
