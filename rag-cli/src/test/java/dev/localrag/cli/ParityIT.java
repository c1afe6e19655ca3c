package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SearchHit;
import dev.localrag.ingest.LocalRag;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour never depends on the door a user comes in by: one folder ingested through {@code rag
 * ingest}, through {@code rag serve}'s {@code POST /v1/ingest} and through {@code LocalRag.ingest}
 * gives the same chunks, the same top-5 documents, and the same answer kind. All three run on the
 * in-process embedder without Ollama.
 */
class ParityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path CORPUS = REPO.resolve("datasets/corpora/ollama-docs");
    private static final List<String> FILES = List.of(
            "faq.mdx",
            "gpu.mdx",
            "import.mdx",
            "context-length.mdx",
            "linux.mdx",
            "docker.mdx",
            "windows.mdx",
            "macos.mdx");
    private static final List<String> QUESTIONS = List.of(
            "How do I change the port Ollama listens on?",
            "How can I import a GGUF model?",
            "Which AMD Radeon GPUs are supported?",
            "How do I increase the context length?",
            "Where are models stored on macOS?",
            "How do I view the logs of the Ollama service on Linux?",
            "How do I run Ollama in Docker with an Nvidia GPU?",
            "How do I uninstall Ollama on Windows?",
            "How can I select which GPU Ollama uses?",
            "How do I set environment variables for the Ollama server?");
    private static final String OFF_TOPIC = "What is the best recipe for a chocolate cake with strawberries?";
    private static final String EMBEDDER = "onnx:bge-small-en-v1.5";
    /** Nothing listens on the discard port: Ollama is "not running". */
    private static final Map<String, String> NO_OLLAMA = Map.of("OLLAMA_HOST", "127.0.0.1:9");

    @TempDir
    static Path home;

    static Path docs;
    static Path cliIndex;
    static Path serverIndex;
    static Path libraryIndex;
    static Thread serve;
    static CompletableFuture<Integer> serveExit;
    static String baseUrl;
    static LocalRag library;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void ingestTheSameFolderThroughEveryDoor() throws Exception {
        docs = Files.createDirectories(home.resolve("docs"));
        for (String f : FILES) {
            Files.copy(CORPUS.resolve(f), docs.resolve(f));
        }
        cliIndex = home.resolve("cli-index");
        serverIndex = home.resolve("server-index");
        libraryIndex = home.resolve("library-index");

        // rag ingest
        CliRun ingest = CliRun.run(
                home,
                home,
                NO_OLLAMA,
                "ingest",
                docs.toString(),
                "--index",
                cliIndex.toString(),
                "--embedder",
                EMBEDDER);
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();

        // rag serve + POST /v1/ingest
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment =
                new CliEnvironment(NO_OLLAMA, home, home, new PrintWriter(out, true), new PrintWriter(err, true));
        serveExit = new CompletableFuture<>();
        serve = Thread.ofVirtual()
                .start(() -> serveExit.complete(Main.run(
                        environment,
                        "serve",
                        "--port",
                        "0",
                        "--index",
                        serverIndex.toString(),
                        "--embedder",
                        EMBEDDER,
                        "--allow-root",
                        docs.toString())));
        baseUrl = awaitUrl(out, err);
        JsonNode job = post("/v1/ingest", Map.of("path", docs.toString()));
        String id = job.path("id").asText();
        assertThat(id).as(job.toString()).isNotBlank();
        JsonNode status = awaitJob(id);
        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("succeeded");

        // LocalRag
        library = LocalRag.builder()
                .index(libraryIndex)
                .embedder(EMBEDDER)
                .ollamaHost("127.0.0.1:9")
                .build();
        library.ingest(docs);
    }

    @AfterAll
    static void stop() throws Exception {
        if (library != null) {
            library.close();
        }
        if (serve != null) {
            serve.interrupt();
            assertThat(serveExit.get(60, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void everyDoorMakesTheSameChunks() {
        // the server holds its index's write lock; a read-only open sees its last commit
        Map<String, List<String>> cli = chunkTexts(cliIndex);
        Map<String, List<String>> server = chunkTexts(serverIndex);
        Map<String, List<String>> lib = chunkTexts(libraryIndex);

        assertThat(cli).hasSize(FILES.size());
        assertThat(cli.values().stream().mapToInt(List::size).sum()).isGreaterThan(FILES.size() * 3);
        assertThat(server).isEqualTo(cli);
        assertThat(lib).isEqualTo(cli);
    }

    @Test
    void everyDoorFindsTheSameTopFiveDocuments() throws Exception {
        for (String q : QUESTIONS) {
            CliRun search =
                    CliRun.run(home, home, NO_OLLAMA, "search", q, "--index", cliIndex.toString(), "-k", "5", "--json");
            assertThat(search.exitCode()).as(search.toString()).isZero();
            List<String> cli = new ArrayList<>();
            JSON.readTree(search.out())
                    .path("hits")
                    .forEach(h -> cli.add(h.path("path").asText()));

            List<String> server = new ArrayList<>();
            post("/v1/search", Map.of("query", q, "k", 5))
                    .path("hits")
                    .forEach(h -> server.add(h.path("path").asText()));

            List<String> lib =
                    library.search(q, 5).stream().map(SearchHit::documentId).toList();

            assertThat(cli).as(q).hasSize(5);
            assertThat(server).as(q).isEqualTo(cli);
            assertThat(lib).as(q).isEqualTo(cli);
        }
    }

    @Test
    void everyDoorGivesTheSameAnswerKind() throws Exception {
        for (String q : List.of(QUESTIONS.getFirst(), OFF_TOPIC)) {
            CliRun ask = CliRun.run(home, home, NO_OLLAMA, "ask", q, "--index", cliIndex.toString(), "--json");
            assertThat(ask.exitCode()).as(ask.toString()).isZero();
            String cli = JSON.readTree(ask.out()).path("kind").asText();

            String server =
                    post("/v1/query", Map.of("question", q)).path("kind").asText();

            String lib = library.ask(q).kind().id();

            assertThat(server).as(q).isEqualTo(cli);
            assertThat(lib).as(q).isEqualTo(cli);
            assertThat(cli).as(q).isEqualTo(q.equals(OFF_TOPIC) ? "not-found" : "extractive");
        }
    }

    private static Map<String, List<String>> chunkTexts(Path index) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (LuceneVectorIndex opened = LuceneVectorIndex.openReadOnly(index)) {
            opened.documents().keySet().stream()
                    .sorted()
                    .forEach(id -> out.put(
                            id, opened.chunks(id).stream().map(SearchHit::text).toList()));
        }
        return out;
    }

    private static JsonNode post(String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode() / 100).as(path + " " + response.body()).isEqualTo(2);
        return JSON.readTree(response.body());
    }

    private static JsonNode awaitJob(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/v1/jobs/" + id))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode job = JSON.readTree(response.body());
            String status = job.path("status").asText();
            if (status.equals("succeeded") || status.equals("failed")) {
                return job;
            }
            Thread.sleep(200); // polling the job API, as a client does; the result is what is asserted
        }
        throw new AssertionError("ingest job " + id + " did not finish in 5 minutes");
    }

    private static String awaitUrl(StringWriter out, StringWriter err) throws InterruptedException {
        Pattern pattern = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && !serveExit.isDone()) {
            Matcher m = pattern.matcher(out.toString());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("rag serve did not start:\n" + out + "\n" + err);
    }
}
