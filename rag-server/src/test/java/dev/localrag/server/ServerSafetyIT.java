package dev.localrag.server;

import static dev.localrag.server.LocalRagServerIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.testing.OllamaTestServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication, CORS, size limits, the bounded chat queue (429), cancellation when the client
 * disconnects, and shutdown while a stream is running: each against its own server on port 0.
 */
class ServerSafetyIT {

    static final String KEY = "test-key-0123456789abcdef";

    @TempDir
    static Path tmp;

    static Path index;

    @BeforeAll
    static void buildIndex() throws Exception {
        try (OllamaTestServer ollama =
                new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM)) {
            index = tmp.resolve("index");
            TestCorpus.ingest(TestCorpus.config(index, ollama.baseUrl()), TestCorpus.writeDocs(tmp.resolve("docs")));
        }
    }

    static ServerConfig.Builder config(java.net.URI ollama) {
        RagConfig rag = TestCorpus.config(index, ollama);
        return ServerConfig.builder().port(0).collection("docs", rag).shutdownGrace(Duration.ofSeconds(5));
    }

    @Test
    void apiKeysAreRequiredWhenConfigured() throws Exception {
        try (OllamaTestServer ollama =
                        new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM);
                LocalRagServer server = LocalRagServer.create(
                                config(ollama.baseUrl()).apiKeys(Set.of(KEY)).build(), n -> {})
                        .start()) {
            Http anonymous = new Http(server.baseUrl());
            Http wrong = anonymous.withKey("wrong-key-0123456789abcdef");
            Http right = anonymous.withKey(KEY);

            Http.Response refused = anonymous.post("/v1/search", "{\"query\": \"port\"}");
            assertError(refused, 401, "unauthorized", "Authorization: Bearer");
            assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
            assertError(wrong.get("/v1/models"), 401, "unauthorized", "not valid");
            assertError(anonymous.get("/metrics"), 401, "unauthorized", "");
            assertThat(right.post("/v1/search", "{\"query\": \"port\"}").status())
                    .isEqualTo(200);
            assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
            assertThat(anonymous.get("/readyz").status()).isEqualTo(200);
            String metrics = right.get("/metrics").body();
            assertThat(metrics)
                    .contains(
                            "localrag_http_requests_seconds_count{method=\"POST\",route=\"/v1/search\",status=\"401\"} 1")
                    .contains("localrag_http_in_flight 1.0"); // refused requests are not left counted as in flight

            // the web UI's page and files load without a key (they hold no data); its API calls need one
            Http.Response page = anonymous.get("/");
            Http.Response script = anonymous.get("/ui/app.js");
            Http.Response vendored = anonymous.get("/ui/vendor/purify.es.mjs");
            Http.Response style = anonymous.get("/ui/style.css");

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
            assertThat(page.body()).contains("<script type=\"module\" src=\"ui/app.js\">");
            assertThat(script.status()).isEqualTo(200);
            assertThat(script.header("Content-Type")).startsWith("text/javascript");
            assertThat(script.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(vendored.header("Content-Type")).startsWith("text/javascript");
            assertThat(style.header("Content-Type")).startsWith("text/css");
            // the data stays behind the key
            assertError(anonymous.get("/v1/collections"), 401, "unauthorized", "Authorization: Bearer");
            assertError(anonymous.get("/v1/documents"), 401, "unauthorized", "");
            assertThat(right.get("/v1/collections").status()).isEqualTo(200);
            assertError(anonymous.get("/ui/no-such-file.js"), 404, "not_found", "");
            assertError(anonymous.send(anonymous.request("/ui/app.js").DELETE().build()), 401, "unauthorized", "");
            // a path that climbs out of /ui/ serves nothing
            for (String sneaky : List.of("/ui/../v1/documents", "/ui/%2e%2e/v1/documents", "/ui/..%2fopenapi.json")) {
                String answer = raw(
                        server.port(),
                        "GET " + sneaky + " HTTP/1.1\r\nHost: localhost\r\n" + "Connection: close\r\n\r\n");
                assertThat(answer).as(sneaky).doesNotStartWith("HTTP/1.1 200").doesNotContain("\"documents\"");
            }
        }
    }

    /** Sends a request exactly as written (no client-side path normalisation) and returns the response. */
    static String raw(int port, String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void corsAllowsOnlyConfiguredOrigins() throws Exception {
        try (OllamaTestServer ollama =
                        new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM);
                LocalRagServer server = LocalRagServer.create(
                                config(ollama.baseUrl())
                                        .corsOrigins(List.of("https://app.example"))
                                        .apiKeys(Set.of(KEY))
                                        .build(),
                                n -> {})
                        .start()) {
            Http http = new Http(server.baseUrl());

            Http.Response preflight = http.send(http.request("/v1/query")
                    .header("Origin", "https://app.example")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .build());
            Http.Response other = http.withKey(KEY)
                    .send(http.withKey(KEY)
                            .request("/v1/models")
                            .header("Origin", "https://evil.example")
                            .GET()
                            .build());

            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
            assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void oversizedBodiesAndUploadsGet413() throws Exception {
        try (OllamaTestServer ollama =
                        new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM);
                LocalRagServer server = LocalRagServer.create(
                                config(ollama.baseUrl())
                                        .maxBodyBytes(4096)
                                        .maxUploadBytes(8192)
                                        .build(),
                                n -> {})
                        .start()) {
            Http http = new Http(server.baseUrl());
            String big = "{\"question\": \"" + "a".repeat(10_000) + "\"}";

            assertError(http.post("/v1/query", big), 413, "payload_too_large", "at most 4096");
            Http.Response chunked = http.send(http.request("/v1/query")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                    .build());
            assertThat(chunked.status()).as(chunked.toString()).isEqualTo(413);
            assertThat(chunked.json().path("error").path("code").asText()).isEqualTo("payload_too_large");
            assertError(
                    http.send(LocalRagServerIT.multipart(http, "/v1/documents", "docs", "big.md", "x".repeat(20_000))),
                    413,
                    "payload_too_large",
                    "8192");
            HttpRequest sized = LocalRagServerIT.multipart(http, "/v1/documents", "docs", "big.md", "x".repeat(20_000));
            byte[] multipartBody = readBody(sized);
            Http.Response chunkedUpload = http.send(http.request("/v1/documents")
                    .header(
                            "Content-Type",
                            sized.headers().firstValue("Content-Type").orElseThrow())
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(multipartBody)))
                    .build());
            assertThat(chunkedUpload.status()).as(chunkedUpload.toString()).isEqualTo(413);
            assertThat(chunkedUpload.json().path("error").path("code").asText()).isEqualTo("payload_too_large");
        }
    }

    private static OllamaTestServer testOllama() throws java.io.IOException {
        return new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM);
    }

    private static LocalRagServer serve(OllamaTestServer ollama) {
        return LocalRagServer.create(config(ollama.baseUrl()).build(), n -> {}).start();
    }

    @Test
    void aChatModelFailureBeforeTheFirstTokenIsRetriedByTheSharedOllamaClient() throws Exception {
        try (OllamaTestServer ollama = testOllama();
                LocalRagServer server = serve(ollama)) {
            Http http = new Http(server.baseUrl());
            ollama.failNext("/api/chat", 503, 1);

            Http.Response r = http.post("/v1/query", "{\"question\": \"Which port does Ollama listen on?\"}");

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().path("kind").asText()).isEqualTo("generated");
            assertThat(ollama.requests("/api/chat")).hasSize(2); // the 503, then the retry that answered
        }
    }

    @Test
    void aStreamThatBreaksMidAnswerEndsWithAModelUnavailableError() throws Exception {
        try (OllamaTestServer ollama = testOllama();
                LocalRagServer server = serve(ollama)) {
            Http http = new Http(server.baseUrl());
            ollama.dropAfterTokens(3);

            List<Http.Event> events = http.stream("/v1/query/stream", "{\"question\": \"Which port?\"}");
            Http.Response plain = http.post("/v1/query", "{\"question\": \"Which port?\"}");

            assertThat(events.getFirst().name()).isEqualTo("sources");
            assertThat(events.subList(1, events.size() - 1))
                    .hasSize(3)
                    .allSatisfy(e -> assertThat(e.name()).isEqualTo("token"));
            Http.Event last = events.getLast();
            assertThat(last.name()).isEqualTo("error");
            assertThat(last.json().path("error").path("code").asText()).isEqualTo("model_unavailable");
            assertThat(last.json().path("error").path("message").asText()).contains("stopped before it was complete");
            assertError(plain, 503, "model_unavailable", "stopped before it was complete");
            assertThat(http.get("/metrics").body()).contains("localrag_generations_total{outcome=\"failed\"} 2.0");
        }
    }

    @Test
    void fullChatQueueAnswers429WithRetryAfter() throws Exception {
        try (SlowOllama slow = new SlowOllama(40, 50);
                LocalRagServer server = LocalRagServer.create(
                                config(slow.baseUrl())
                                        .chatConcurrency(1)
                                        .chatQueue(1)
                                        .retryAfter(Duration.ofSeconds(7))
                                        .build(),
                                n -> {})
                        .start()) {
            Http http = new Http(server.baseUrl());
            List<CompletableFuture<Http.Response>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                running.add(CompletableFuture.supplyAsync(() -> http.post("/v1/query", "{\"question\": \"port?\"}")));
            }
            awaitTrue(() -> slow.chatsStarted.get() == 1 && inFlight(http) >= 2);

            double searchesBefore = retrievals(http);
            Http.Response refused = http.post("/v1/query", "{\"question\": \"port?\"}");
            Http.Response streamRefused = http.post("/v1/query/stream", "{\"question\": \"port?\"}");
            assertThat(retrievals(http)).as("a refusal runs no search").isEqualTo(searchesBefore);
            Http.Response searchStillServed = http.post("/v1/search", "{\"query\": \"port\"}");

            assertError(refused, 429, "overloaded", "Retry-After");
            assertThat(refused.header("Retry-After")).isEqualTo("7");
            assertError(streamRefused, 429, "overloaded", "");
            assertThat(searchStillServed.status()).isEqualTo(200);
            for (CompletableFuture<Http.Response> r : running) {
                assertThat(r.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            assertThat(slow.chatsCompleted.get()).isEqualTo(2);
            assertThat(http.get("/metrics").body()).contains("localrag_chat_queue_rejected_total 2.0");
        }
    }

    /** How many retrievals the server has run, from /metrics. */
    private static double retrievals(Http http) {
        return http.get("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith("localrag_retrieval_seconds_count"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aQueuedStreamIsKeptAliveAndLeavingTheQueueFreesItsPlace() throws Exception {
        try (SlowOllama slow = new SlowOllama(400, 50);
                LocalRagServer server = LocalRagServer.create(
                                config(slow.baseUrl())
                                        .chatConcurrency(1)
                                        .chatQueue(1)
                                        .build(),
                                n -> {})
                        .start()) {
            Http http = new Http(server.baseUrl());
            CompletableFuture<Http.Response> running =
                    CompletableFuture.supplyAsync(() -> http.post("/v1/query", "{\"question\": \"port?\"}"));
            awaitTrue(() -> slow.chatsStarted.get() == 1);
            HttpResponse<InputStream> queued = http.open("/v1/query/stream", "{\"question\": \"port?\"}");
            BufferedReader reader = new BufferedReader(new InputStreamReader(queued.body(), StandardCharsets.UTF_8));

            String line = reader.readLine();

            assertThat(queued.statusCode()).isEqualTo(200);
            assertThat(line).isEqualTo(": waiting for the chat model");
            queued.body().close(); // leaves while still queued
            awaitTrue(() -> inFlight(http) == 1); // found gone by a heartbeat, while the first still runs

            assertThat(running).isNotDone();
            assertThat(slow.chatsStarted.get()).isEqualTo(1); // the one that left never reached the model
            assertThat(http.get("/metrics").body()).contains("localrag_generations_total{outcome=\"cancelled\"} 1.0");
        }
    }

    @Test
    void clientThatDisconnectsCancelsItsGeneration() throws Exception {
        try (SlowOllama slow = new SlowOllama(200, 50);
                LocalRagServer server = LocalRagServer.create(
                                config(slow.baseUrl())
                                        .chatConcurrency(1)
                                        .chatQueue(0)
                                        .build(),
                                n -> {})
                        .start()) {
            Http http = new Http(server.baseUrl());
            HttpResponse<InputStream> stream = http.open("/v1/query/stream", "{\"question\": \"port?\"}");
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            List<Http.Event> first = Http.events(reader, 2);
            assertThat(first).extracting(Http.Event::name).containsExactly("sources", "token");

            stream.body().close(); // the client goes away mid-answer

            assertThat(slow.abandoned.await(20, TimeUnit.SECONDS))
                    .as("Ollama's stream was closed early")
                    .isTrue();
            assertThat(slow.chatsCompleted.get()).isZero();
            awaitTrue(() -> inFlight(http) == 0);
            // the slot is free again: the next question is admitted, not refused with 429
            assertThat(http.post("/v1/search", "{\"query\": \"port\"}").status())
                    .isEqualTo(200);
            assertThat(http.get("/metrics").body()).contains("localrag_generations_total{outcome=\"cancelled\"} 1.0");
        }
    }

    @Test
    void shutdownDuringAStreamEndsItWithAnErrorAndClosesTheIndex() throws Exception {
        SlowOllama slow = new SlowOllama(400, 50);
        LocalRagServer server =
                LocalRagServer.create(config(slow.baseUrl()).build(), n -> {}).start();
        try (slow) {
            Http http = new Http(server.baseUrl());
            HttpResponse<InputStream> stream = http.open("/v1/query/stream", "{\"question\": \"port?\"}");
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            assertThat(Http.events(reader, 2)).extracting(Http.Event::name).containsExactly("sources", "token");

            long start = System.nanoTime();
            server.close();

            List<Http.Event> rest = Http.events(reader, Integer.MAX_VALUE);
            assertThat(rest).isNotEmpty();
            Http.Event last = rest.getLast();
            assertThat(last.name()).isEqualTo("error");
            JsonNode error = last.json().path("error");
            assertThat(error.path("code").asText()).isEqualTo("shutting_down");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(slow.abandoned.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            server.close();
        }
        // closed cleanly: the write lock is released and the index opens again with its documents
        try (LuceneVectorIndex reopened = LuceneVectorIndex.open(index, LuceneVectorIndex.readManifest(index))) {
            assertThat(reopened.stats().documents()).isEqualTo(3);
        }
    }

    /** The bytes a request would send. */
    private static byte[] readBody(HttpRequest request) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        request.bodyPublisher().orElseThrow().subscribe(new java.util.concurrent.Flow.Subscriber<>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(java.nio.ByteBuffer item) {
                byte[] b = new byte[item.remaining()];
                item.get(b);
                out.writeBytes(b);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.get(5, TimeUnit.SECONDS);
        return out.toByteArray();
    }

    private static int inFlight(Http http) {
        String metrics = http.get("/metrics").body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("localrag_chat_queue_in_flight ")) {
                return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        throw new AssertionError("no localrag_chat_queue_in_flight in /metrics");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
