package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.testing.OllamaTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rag doctor}, {@code --pull} and a broken answer stream, against the Ollama test server. */
class DoctorAndOllamaIT {

    private static final String CHAT = "qwen3:4b-instruct-2507-q4_K_M";
    private static final String EMBED = "qwen3-embedding:0.6b-q8_0";

    @TempDir
    Path tmp;

    private Path home;
    private Path docs;
    private Path index;

    @BeforeEach
    void twoNotes() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        docs = Files.createDirectories(tmp.resolve("docs"));
        index = tmp.resolve("idx");
        Files.writeString(
                docs.resolve("port.md"), "# Port\n\nOllama listens on port 11434; set OLLAMA_HOST to change it.");
        Files.writeString(docs.resolve("gpu.md"), "# GPU\n\nNvidia GPUs with compute capability 5.0 are supported.");
    }

    private CliRun rag(OllamaTestServer ollama, String... args) {
        return CliRun.run(home, tmp, Map.of("OLLAMA_HOST", ollama.baseUrl().toString()), args);
    }

    private void ingest(OllamaTestServer ollama) {
        CliRun run =
                rag(ollama, "ingest", docs.toString(), "--index", index.toString(), "--embedder", "ollama:" + EMBED);
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void doctorPassesWhenEverythingIsThere() {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(CHAT, EMBED).dimension(48).build()) {
            ingest(ollama);

            CliRun doctor = rag(ollama, "doctor", "--index", index.toString());

            assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
            assertThat(doctor.out())
                    .contains("ok    Java ")
                    .contains("Lucene SIMD on")
                    .contains("ok    Ollama 0.12.0-test at " + ollama.baseUrl())
                    .contains("ok    chat model " + CHAT + " is pulled")
                    .contains("ok    embedding model " + EMBED + " is pulled")
                    .contains("ok    embedder ollama:" + EMBED + " gives 48-d vectors, as the index expects")
                    .contains("ok    chat round trip with " + CHAT + ": first token after ")
                    .contains("2 documents, 2 chunks")
                    .contains("All checks passed.");
            assertThat(ollama.requests("/api/chat")
                            .getLast()
                            .body()
                            .path("options")
                            .path("num_predict")
                            .asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void doctorFailsAndSaysWhatToPull() {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(CHAT, EMBED).dimension(48).build()) {
            ingest(ollama);
            ollama.removeModel(CHAT);

            CliRun doctor = rag(ollama, "doctor", "--index", index.toString());

            assertThat(doctor.exitCode()).as(doctor.toString()).isEqualTo(ExitCode.FAILURE);
            assertThat(doctor.out())
                    .contains("FAIL  chat model " + CHAT + " is not pulled — run `ollama pull " + CHAT + "`")
                    .contains("1 problem(s) found.");
        }
    }

    @Test
    void doctorFailsWhenTheEmbeddingDimensionNoLongerMatchesTheIndex() {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(CHAT, EMBED).dimension(48).build()) {
            ingest(ollama);
        }
        try (OllamaTestServer other =
                OllamaTestServer.builder().models(CHAT, EMBED).dimension(96).build()) {

            CliRun doctor = rag(other, "doctor", "--index", index.toString());

            assertThat(doctor.exitCode()).as(doctor.toString()).isEqualTo(ExitCode.FAILURE);
            assertThat(doctor.out()).contains("gives 96-d vectors but the index holds 48-d ones");
        }
    }

    @Test
    void doctorWarnsWhenOllamaIsNotRunningAndOnlyAnswersNeedIt() {
        try (OllamaTestServer ollama = OllamaTestServer.builder().models(CHAT).build()) {
            ollama.refuseConnections();

            CliRun doctor = rag(ollama, "doctor", "--index", index.toString());

            assertThat(doctor.exitCode()).as(doctor.toString()).isEqualTo(ExitCode.OK);
            assertThat(doctor.out())
                    .contains("warn  Ollama is not running at " + ollama.baseUrl())
                    .contains("answers are extractive")
                    .contains("warn  no index at " + index);
        }
    }

    @Test
    void doctorFailsWhenOllamaIsNotRunningAndTheIndexEmbedsWithIt() {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(CHAT, EMBED).dimension(48).build()) {
            ingest(ollama);
            ollama.refuseConnections();

            CliRun doctor = rag(ollama, "doctor", "--index", index.toString());

            assertThat(doctor.exitCode()).as(doctor.toString()).isEqualTo(ExitCode.FAILURE);
            assertThat(doctor.out())
                    .contains("FAIL  Ollama is not running at " + ollama.baseUrl())
                    .contains("ollama serve");
        }
    }

    @Test
    void askWithPullPullsTheMissingChatModelWithProgress() {
        try (OllamaTestServer ollama = OllamaTestServer.builder()
                .models(EMBED)
                .pullable(CHAT)
                .dimension(48)
                .build()) {
            ingest(ollama);

            CliRun ask = rag(ollama, "ask", "which port?", "--index", index.toString(), "--pull");

            assertThat(ask.exitCode()).as(ask.toString()).isZero();
            assertThat(ask.err())
                    .contains("Pulling " + CHAT)
                    .contains("pulling manifest")
                    .contains("success");
            assertThat(ask.out()).startsWith("According to your documents");
            assertThat(ollama.requests("/api/pull")).hasSize(1);
        }
    }

    @Test
    void anAnswerThatBreaksOffIsShownAsIncompleteWithExitCode1() {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(CHAT, EMBED).dimension(48).build()) {
            ingest(ollama);
            ollama.slowTokens(Duration.ofMillis(30));
            ollama.dropAfterTokens(2);

            CliRun ask = rag(ollama, "ask", "which port?", "--index", index.toString());
            CliRun json = rag(ollama, "ask", "which port?", "--index", index.toString(), "--json");

            assertThat(ask.exitCode()).as(ask.toString()).isEqualTo(ExitCode.FAILURE);
            assertThat(ask.out()).startsWith("According to ");
            assertThat(ask.err()).contains("[answer incomplete]").contains("stopped before it was complete");
            assertThat(json.exitCode()).isEqualTo(ExitCode.FAILURE);
            assertThat(json.out()).contains("\"kind\" : \"incomplete\"").contains("\"answer\" : \"According to \"");
        }
    }

    @Test
    void aSlowFirstTokenIsRetriedThenTheAnswerFallsBackToPassages() {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(CHAT, EMBED).dimension(48).build()) {
            ingest(ollama);
            Path config = tmp.resolve("config.yaml");
            try {
                Files.writeString(config, """
                        ollama:
                          firstTokenTimeoutSeconds: 1
                          maxRetries: 1
                          retryBaseDelayMillis: 1
                        """);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ollama.slowFirstToken("/api/chat", Duration.ofMillis(1500));

            CliRun ask = rag(ollama, "ask", "which port?", "--index", index.toString(), "--config", config.toString());

            assertThat(ask.exitCode()).as(ask.toString()).isZero();
            assertThat(ask.err()).contains("ollama.firstTokenTimeoutSeconds").contains("gave up after 2 attempts");
            assertThat(ask.out()).contains("Retrieved passages");
            assertThat(ollama.requests("/api/chat")).hasSize(2);
        }
    }
}
