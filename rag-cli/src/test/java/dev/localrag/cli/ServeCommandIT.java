package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.testing.OllamaTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rag serve}: flags, refusals, and a real start and stop. */
class ServeCommandIT {

    private static final Map<String, String> NO_OLLAMA = Map.of("OLLAMA_HOST", "127.0.0.1:9");

    @TempDir
    Path home;

    @Test
    void helpListsTheServerFlags() {
        CliRun help = CliRun.run(home, home, NO_OLLAMA, "serve", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("Usage: rag serve")
                .contains("--port")
                .contains("--host")
                .contains("--collection")
                .contains("--allow-root")
                .contains("--api-key-file")
                .contains("--cors-origin");
    }

    @Test
    void nonLoopbackWithoutAnApiKeyIsAUsageError() {
        CliRun run = CliRun.run(
                home,
                home,
                NO_OLLAMA,
                "serve",
                "--host",
                "0.0.0.0",
                "--index",
                home.resolve("i").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("LOCALRAG_API_KEYS").contains("--allow-no-auth");
    }

    @Test
    void badCollectionSpecIsAUsageError() {
        CliRun run = CliRun.run(home, home, NO_OLLAMA, "serve", "--collection", "justaname");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("NAME=DIR");
    }

    @Test
    void servesUntilStoppedThenClosesCleanly() throws Exception {
        try (OllamaTestServer ollama =
                new OllamaTestServer(Set.of("qwen3:4b-instruct-2507-q4_K_M", "qwen3-embedding:0.6b-q8_0"), 64)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CliEnvironment environment = new CliEnvironment(
                    Map.of("OLLAMA_HOST", ollama.baseUrl().toString()),
                    home,
                    home,
                    new PrintWriter(out, true),
                    new PrintWriter(err, true));
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            Thread serve = Thread.ofVirtual()
                    .start(() -> exit.complete(Main.run(
                            environment,
                            "serve",
                            "--port",
                            "0",
                            "--index",
                            home.resolve("index").toString(),
                            "--collection",
                            "notes=" + home.resolve("notes-index"))));
            Matcher url = awaitUrl(out, exit);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> models = http.send(
                    HttpRequest.newBuilder(URI.create(url.group(1) + "/v1/models"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(models.body());

            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(body.path("data").findValuesAsText("id")).containsExactly("default", "notes");
            assertThat(out.toString()).contains("(no API key)");

            serve.interrupt(); // as Ctrl-C does through the shutdown hook: stop, close the indexes

            assertThat(exit.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
            assertThat(out.toString()).contains("LocalRAG stopped.");
        }
    }

    private static Matcher awaitUrl(StringWriter out, CompletableFuture<Integer> exit) throws InterruptedException {
        Pattern pattern = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !exit.isDone()) {
            Matcher m = pattern.matcher(out.toString());
            if (m.find()) {
                return m;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("rag serve did not start: " + out + " exit " + exit.getNow(null));
    }
}
