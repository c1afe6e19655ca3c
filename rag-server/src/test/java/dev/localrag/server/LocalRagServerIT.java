package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.testing.OllamaTestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint over real HTTP: the server on port 0 with two collections, the project's Ollama
 * test server behind it (hashing embeddings, a deterministic streamed answer citing the sources).
 */
class LocalRagServerIT {

    @TempDir
    static Path tmp;

    static OllamaTestServer ollama;
    static LocalRagServer server;
    static Http http;
    static Path allowed;
    static Path outside;

    @BeforeAll
    static void start() throws IOException {
        ollama = new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM);
        RagConfig docs = TestCorpus.config(tmp.resolve("index-docs"), ollama.baseUrl());
        TestCorpus.ingest(docs, TestCorpus.writeDocs(tmp.resolve("docs")));
        allowed = TestCorpus.writeAllowed(tmp);
        outside = TestCorpus.writeOutside(tmp);
        server = LocalRagServer.create(
                        ServerConfig.builder()
                                .port(0)
                                .collection("docs", docs)
                                .collection(
                                        "scratch", TestCorpus.config(tmp.resolve("index-scratch"), ollama.baseUrl()))
                                .ingestRoots(List.of(allowed))
                                .build(),
                        notice -> {})
                .start();
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    // ---- health, metadata ----

    @Test
    void healthAndReadiness() {
        assertThat(http.get("/healthz").json().path("status").asText()).isEqualTo("ok");

        Http.Response ready = http.get("/readyz");

        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("ready");
        assertThat(ready.json()
                        .path("collections")
                        .path("docs")
                        .path("documents")
                        .asInt())
                .isEqualTo(3);
        assertThat(ready.json()
                        .path("collections")
                        .path("docs")
                        .path("chatModelReachable")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void openApiDocumentListsExactlyTheServedRoutes() {
        JsonNode spec = http.get("/openapi.json").json();
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                            method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey()));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(server.routes());
        assertThat(spec.path("openapi").asText()).startsWith("3.");
    }

    @Test
    void unknownRouteIsAJsonError() {
        Http.Response r = http.get("/v1/nope");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("not_found");
    }

    // ---- query ----

    @Test
    void queryAnswersWithCitationsSourcesAndTimings() {
        Http.Response r = http.post("/v1/query", "{\"question\": \"Which port does Ollama listen on?\"}");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("kind").asText()).isEqualTo("generated");
        assertThat(body.path("model").asText()).isEqualTo(TestCorpus.CHAT_MODEL);
        assertThat(body.path("answer").asText())
                .startsWith("According to your documents")
                .contains("[1]");
        assertThat(body.path("sources")).hasSize(3);
        assertThat(body.path("sources").get(0).path("n").asInt()).isEqualTo(1);
        assertThat(body.path("citations")).hasSize(3);
        for (JsonNode c : body.path("citations")) {
            JsonNode source = body.path("sources").get(c.path("n").asInt() - 1);
            assertThat(c.path("path").asText()).isEqualTo(source.path("path").asText());
            assertThat(c.path("chunk").asInt()).isEqualTo(source.path("chunk").asInt());
        }
        JsonNode timings = body.path("timings");
        assertThat(timings.path("retrievalMs").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(timings.path("totalMs").asDouble())
                .isGreaterThanOrEqualTo(timings.path("retrievalMs").asDouble());
        assertThat(timings.path("tokens").asInt()).isGreaterThan(1);
        assertThat(timings.path("firstTokenMs").isNumber()).isTrue();
    }

    @Test
    void queryPassesHistoryToTheChatModelAsEarlierTurns() {
        int before = ollama.requests("/api/chat").size();

        Http.Response r = http.post(
                "/v1/query",
                "{\"question\": \"And which GPUs?\", \"k\": 2, \"history\": ["
                        + "{\"role\": \"user\", \"content\": \"Tell me about Ollama.\"},"
                        + "{\"role\": \"assistant\", \"content\": \"It runs models locally.\"}]}");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<OllamaTestServer.Request> chats = ollama.requests("/api/chat");
        assertThat(chats).hasSizeGreaterThan(before);
        JsonNode messages = chats.getLast().body().path("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(1).path("content").asText()).isEqualTo("Tell me about Ollama.");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(3).path("content").asText()).contains("And which GPUs?");
        assertThat(r.json().path("sources")).hasSize(2);
        // the follow-up was first condensed with the history into the query that was searched
        assertThat(chats.get(chats.size() - 2).body().toString()).contains("Follow-up: And which GPUs?");
        assertThat(r.json().path("query").asText()).isEqualTo("Tell me about Ollama. And which GPUs?");
    }

    @Test
    void queryFilterKeepsOnlyMatchingDocuments() {
        Http.Response r = http.post(
                "/v1/query",
                "{\"question\": \"Which port and which GPUs?\", \"filter\": {\"pathPrefix\": \""
                        + tmp.resolve("docs/gpu").toString().replace("\\", "\\\\") + "\"}}");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("sources")).isNotEmpty();
        for (JsonNode s : r.json().path("sources")) {
            assertThat(s.path("path").asText()).endsWith("gpu.md");
        }
    }

    @Test
    void badQueriesGetJsonErrorsNamingTheField() {
        assertError(http.post("/v1/query", "{}"), 400, "invalid_request", "question");
        assertError(http.post("/v1/query", "{\"questoin\": \"typo\"}"), 400, "invalid_request", "questoin");
        assertError(http.post("/v1/query", "{\"question\": \"q\", \"k\": 0}"), 400, "invalid_request", "\"k\"");
        assertError(
                http.post("/v1/query", "{\"question\": \"q\", \"mode\": \"fuzzy\"}"), 400, "invalid_request", "fuzzy");
        assertError(http.post("/v1/query", "{\"question\": "), 400, "invalid_request", "not valid JSON");
        assertError(http.post("/v1/query", "[1, 2]"), 400, "invalid_request", "object");
        assertError(
                http.post(
                        "/v1/query",
                        "{\"question\": \"q\", \"history\": [{\"role\": \"system\", \"content\": \"x\"}]}"),
                400,
                "invalid_request",
                "history[0].role");
        assertError(
                http.post("/v1/query", "{\"question\": \"q\", \"collection\": \"nope\"}"),
                404,
                "collection_not_found",
                "nope");
    }

    // ---- streaming ----

    @Test
    void streamSendsSourcesThenTokensThenDone() {
        List<Http.Event> events = http.stream("/v1/query/stream", "{\"question\": \"How do I change the port?\"}");

        assertThat(events).hasSizeGreaterThan(3);
        assertThat(events.getFirst().name()).isEqualTo("sources");
        assertThat(events.getFirst().json().path("sources")).hasSize(3);
        assertThat(events.getLast().name()).isEqualTo("done");
        List<Http.Event> tokens = events.subList(1, events.size() - 1);
        assertThat(tokens).allSatisfy(e -> assertThat(e.name()).isEqualTo("token"));
        StringBuilder text = new StringBuilder();
        tokens.forEach(e -> text.append(e.json().path("text").asText()));
        JsonNode done = events.getLast().json();
        assertThat(done.path("answer").asText()).isEqualTo(text.toString());
        assertThat(done.path("citations")).hasSize(3);
        assertThat(done.path("timings").path("tokens").asInt()).isEqualTo(tokens.size());
    }

    @Test
    void streamRefusesBadRequestsWithAPlainJsonError() {
        Http.Response r = http.send(http.request("/v1/query/stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\": 3}"))
                .build());

        assertError(r, 400, "invalid_request", "question");
    }

    // ---- search ----

    @Test
    void searchReturnsRankedHitsWithoutAnAnswer() {
        Http.Response r = http.post("/v1/search", "{\"query\": \"port 11434\", \"mode\": \"keyword\", \"k\": 2}");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode hits = r.json().path("hits");
        assertThat(hits).hasSizeBetween(1, 2);
        assertThat(hits.get(0).path("rank").asInt()).isEqualTo(1);
        assertThat(hits.get(0).path("path").asText()).endsWith("port.md");
        assertThat(hits.get(0).path("text").asText()).contains("11434");
        assertThat(r.json().has("answer")).isFalse();
    }

    @Test
    void searchFilterByPathsKeepsOnlyThatFile() {
        // given a question about ports, filtered to the one file that is about something else
        String models = tmp.resolve("docs/models.md").toString().replace("\\", "\\\\");

        // when searching the vector ranking for up to 3 passages of that file
        Http.Response r = http.post(
                "/v1/search",
                "{\"query\": \"port 11434\", \"mode\": \"vector\", \"k\": 3, \"filter\": {\"paths\": [\"" + models
                        + "\"]}}");

        // then only that file's passages come back, though others rank higher without the filter
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("hits").findValuesAsText("path"))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p).endsWith("models.md"));
    }

    @Test
    void searchTakesACandidateCountAndRejectsABadOne() {
        Http.Response wide =
                http.post("/v1/search", "{\"query\": \"port 11434\", \"mode\": \"vector\", \"candidates\": 500}");
        assertThat(wide.status()).as(wide.toString()).isEqualTo(200);
        assertThat(wide.json().path("hits")).isNotEmpty();

        assertError(
                http.post("/v1/search", "{\"query\": \"port\", \"candidates\": 0}"),
                400,
                "invalid_request",
                "candidates");
    }

    // ---- documents ----

    @Test
    void documentsArePagedAndShowTheirChunks() {
        JsonNode first = http.get("/v1/documents?limit=2").json();
        JsonNode rest = http.get("/v1/documents?offset=2&limit=2").json();

        assertThat(first.path("total").asInt()).isEqualTo(3);
        assertThat(first.path("documents")).hasSize(2);
        assertThat(rest.path("documents")).hasSize(1);
        String portId = null;
        for (JsonNode page : List.of(first, rest)) {
            for (JsonNode d : page.path("documents")) {
                if (d.path("path").asText().endsWith("port.md")) {
                    portId = d.path("id").asText();
                }
            }
        }
        assertThat(portId).isNotNull();

        JsonNode doc = http.get("/v1/documents/" + portId).json();

        assertThat(doc.path("title").asText()).isEqualTo("Ollama port");
        assertThat(doc.path("chunks")).isNotEmpty();
        assertThat(doc.path("chunkCount").asInt()).isEqualTo(doc.path("chunks").size());
        for (JsonNode d : first.path("documents")) {
            int chunks = http.get("/v1/documents/" + d.path("id").asText())
                    .json()
                    .path("chunks")
                    .size();
            assertThat(d.path("chunkCount").asInt()).as(d.toString()).isEqualTo(chunks);
        }
        assertThat(doc.path("chunks").get(0).path("text").asText()).contains("11434");
        assertError(http.get("/v1/documents/bm8tc3VjaC1kb2M"), 404, "document_not_found", "no-such-doc");
        assertError(http.get("/v1/documents?limit=0"), 400, "invalid_request", "limit");
    }

    @Test
    void uploadIngestsAsAJobAndDeleteRemovesTheDocument() throws Exception {
        Http.Response upload = http.send(multipart(
                http,
                "/v1/documents",
                "scratch",
                "../../notes.md",
                "# Notes\n\nThe wifi password is zebra-crossing.\n"));

        assertThat(upload.status()).as(upload.toString()).isEqualTo(202);
        assertThat(upload.header("Location"))
                .isEqualTo("/v1/jobs/" + upload.json().path("id").asText());
        JsonNode job = awaitJob(upload.json().path("id").asText());
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("result").path("filesIndexed").asInt()).isEqualTo(1);
        String stored = job.path("paths").get(0).asText();
        assertThat(Path.of(stored).getFileName().toString()).isEqualTo("notes.md");
        assertThat(Path.of(stored).getParent())
                .isEqualTo(tmp.resolve("index-scratch-uploads").toRealPath());

        JsonNode hits = http.post("/v1/search", "{\"query\": \"wifi password\", \"collection\": \"scratch\"}")
                .json()
                .path("hits");
        assertThat(hits.get(0).path("text").asText()).contains("zebra-crossing");
        String id = hits.get(0).path("documentId").asText();

        Http.Response deleted = http.delete("/v1/documents/" + id + "?collection=scratch");

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(http.get("/v1/documents?collection=scratch&limit=500")
                        .json()
                        .path("documents")
                        .findValuesAsText("path"))
                .doesNotContain(stored);
        assertThat(Path.of(stored)).doesNotExist();
        assertError(http.delete("/v1/documents/" + id + "?collection=scratch"), 404, "document_not_found", "");
    }

    @Test
    void aQueuedJobCanBeCancelledAndItsUploadIsRemoved() throws Exception {
        ServedCollection scratch = server.collection("scratch");
        scratch.writeLock().lock(); // as an ingest running before it would: the upload's job waits
        JsonNode queued;
        Http.Response cancelled;
        try {
            Http.Response upload = http.send(multipart(
                    http, "/v1/documents", "scratch", "draft.md", "# Draft\n\nThe draft mentions a heron.\n"));
            assertThat(upload.status()).as(upload.toString()).isEqualTo(202);
            queued = upload.json();
            assertThat(queued.path("status").asText()).isEqualTo("queued");

            cancelled = http.delete("/v1/jobs/" + queued.path("id").asText());
        } finally {
            scratch.writeLock().unlock();
        }

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asText()).isEqualTo("cancelled");
        JsonNode after = awaitJob(queued.path("id").asText());
        assertThat(after.path("status").asText()).isEqualTo("cancelled");
        assertThat(after.path("progress").path("indexed").asInt()).isZero();
        assertThat(Path.of(queued.path("paths").get(0).asText())).doesNotExist();
        assertThat(http.post("/v1/search", "{\"query\": \"heron\", \"collection\": \"scratch\", \"mode\": \"keyword\"}")
                        .json()
                        .path("hits"))
                .isEmpty();
        assertError(http.delete("/v1/jobs/" + queued.path("id").asText()), 409, "job_finished", "cancelled");
        assertError(http.delete("/v1/jobs/no-such-job"), 404, "job_not_found", "no-such-job");
    }

    @Test
    void collectionsListSizesDefaultsAndUploadLimits() {
        JsonNode body = http.get("/v1/collections").json();

        assertThat(body.path("collections").findValuesAsText("name")).containsExactly("docs", "scratch");
        JsonNode docs = body.path("collections").get(0);
        assertThat(docs.path("default").asBoolean()).isTrue();
        assertThat(docs.path("documents").asInt()).isEqualTo(3);
        assertThat(docs.path("chunks").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(docs.path("topK").asInt()).isEqualTo(3);
        assertThat(docs.path("chatModel").asText()).isEqualTo(TestCorpus.CHAT_MODEL);
        assertThat(body.path("collections").get(1).path("default").asBoolean()).isFalse();
        assertThat(body.path("upload").path("maxBytes").asLong())
                .isEqualTo(server.config().maxUploadBytes());
        List<String> types = new java.util.ArrayList<>();
        body.path("upload").path("types").forEach(t -> types.add(t.asText()));
        assertThat(types).contains("md", "pdf").isSorted();
    }

    @Test
    void uploadRefusesTypesNotAllowed() {
        assertError(
                http.send(multipart(http, "/v1/documents", "scratch", "setup.exe", "MZ...")),
                415,
                "unsupported_media_type",
                "setup.exe");
        assertError(
                http.post("/v1/documents", "{\"file\": \"x\"}"), 415, "unsupported_media_type", "multipart/form-data");
    }

    @Test
    void ingestReadsPathsUnderTheAllowedRootsOnly() throws Exception {
        Http.Response ok = http.post("/v1/ingest", Http.json(Map.of("path", "team", "collection", "scratch")));

        assertThat(ok.status()).as(ok.toString()).isEqualTo(202);
        JsonNode job = awaitJob(ok.json().path("id").asText());
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("progress").path("indexed").asInt()).isEqualTo(1);

        assertError(
                http.post("/v1/ingest", Http.json(Map.of("path", "../outside"))), 403, "path_not_allowed", "outside");
        assertError(
                http.post(
                        "/v1/ingest",
                        Http.json(Map.of(
                                "path", allowed.resolve("team/../../outside").toString()))),
                403,
                "path_not_allowed",
                "");
        assertError(
                http.post(
                        "/v1/ingest",
                        Http.json(Map.of("path", outside.resolve("secret.md").toString()))),
                403,
                "path_not_allowed",
                "");
        assertError(http.post("/v1/ingest", Http.json(Map.of("path", "/etc"))), 403, "path_not_allowed", "/etc");
        Files.createSymbolicLink(allowed.resolve("link-out"), outside);
        assertError(
                http.post("/v1/ingest", Http.json(Map.of("path", "link-out"))), 403, "path_not_allowed", "link-out");
        assertError(http.post("/v1/ingest", Http.json(Map.of("path", "missing"))), 404, "path_not_found", "missing");
        assertError(http.get("/v1/jobs/no-such-job"), 404, "job_not_found", "no-such-job");
        assertThat(http.post("/v1/search", "{\"query\": \"launch code swordfish\", \"collection\": \"scratch\"}")
                        .body())
                .doesNotContain("swordfish");
    }

    // ---- OpenAI-compatible ----

    @Test
    void modelsListsOneModelPerCollection() {
        JsonNode models = http.get("/v1/models").json();

        assertThat(models.path("object").asText()).isEqualTo("list");
        assertThat(models.path("data").findValuesAsText("id")).containsExactly("docs", "scratch");
    }

    @Test
    void openAiClientGetsAnAnswerWithSourcesAppended() {
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(server.baseUrl() + "/v1")
                .apiKey("not-needed")
                .modelName("docs")
                .build();

        String answer = model.chat("Which port does Ollama listen on?");

        assertThat(answer).startsWith("According to your documents").contains("\n\nSources:\n[1] ");
        assertThat(answer).contains("port.md");
    }

    @Test
    void openAiStreamingClientGetsTokensAndSources() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(server.baseUrl() + "/v1")
                .apiKey("not-needed")
                .modelName("docs")
                .build();
        StringBuilder partials = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        model.chat("Which GPUs are supported?", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });

        ChatResponse response = done.get(30, TimeUnit.SECONDS);
        assertThat(partials.toString())
                .startsWith("According to your documents")
                .contains("Sources:");
        assertThat(response.aiMessage().text()).isEqualTo(partials.toString());
    }

    @Test
    void chatCompletionsCarrySourcesAsAnExtraFieldAndStreamEndsWithDone() {
        String request = "{\"model\": \"docs\", \"messages\": ["
                + "{\"role\": \"system\", \"content\": \"You are helpful.\"},"
                + "{\"role\": \"user\", \"content\": \"Hi\"},"
                + "{\"role\": \"assistant\", \"content\": \"Hello!\"},"
                + "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Where are models stored?\"}]}"
                + "], \"temperature\": 0.1}";

        JsonNode body = http.post("/v1/chat/completions", request).json();

        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.path("sources")).isNotEmpty();
        assertThat(body.path("citations")).isNotEmpty();
        JsonNode messages = ollama.requests("/api/chat").getLast().body().path("messages");
        assertThat(messages).hasSize(4); // our system prompt, the two earlier turns, the question
        assertThat(messages.get(3).path("content").asText()).contains("Where are models stored?");

        List<Http.Event> events =
                http.stream("/v1/chat/completions", request.replace("\"temperature\"", "\"stream\": true, \"t\""));

        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        JsonNode last = events.get(events.size() - 2).json();
        assertThat(last.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(last.path("sources")).isNotEmpty();
        assertError(
                http.post(
                        "/v1/chat/completions",
                        "{\"model\": \"gpt-4\", \"messages\": [{\"role\": \"user\", \"content\": \"q\"}]}"),
                404,
                "collection_not_found",
                "gpt-4");
        assertError(http.post("/v1/chat/completions", "{\"messages\": []}"), 400, "invalid_request", "messages");
    }

    // ---- metrics ----

    @Test
    void metricsExposeRouteLatencyRetrievalAndGeneration() {
        http.post("/v1/query", "{\"question\": \"Which port?\"}");
        http.post("/v1/search", "{\"query\": \"GPUs\"}");

        String metrics = http.get("/metrics").body();

        assertThat(metrics)
                .contains("localrag_http_requests_seconds_count{method=\"POST\",route=\"/v1/query\",status=\"200\"}")
                .contains("localrag_retrieval_seconds_count{collection=\"docs\"")
                .contains("localrag_generation_first_token_seconds_count{model=\"" + TestCorpus.CHAT_MODEL + "\"}")
                .contains("localrag_generation_tokens_per_second_count")
                .contains("localrag_generations_total{outcome=\"completed\"}")
                .contains("localrag_chat_queue_in_flight");
    }

    @Test
    void corsIsOffByDefault() {
        Http.Response r = http.send(http.request("/v1/models")
                .header("Origin", "https://evil.example")
                .GET()
                .build());

        assertThat(r.header("Access-Control-Allow-Origin")).isNull();
    }

    // ---- helpers ----

    static void assertError(Http.Response r, int status, String code, String messagePart) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        JsonNode error = r.json().path("error");
        assertThat(error.path("code").asText()).as(r.toString()).isEqualTo(code);
        assertThat(error.path("message").asText()).as(r.toString()).contains(messagePart);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    static JsonNode awaitJob(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode job = http.get("/v1/jobs/" + id).json();
            String status = job.path("status").asText();
            if (!status.equals("queued") && !status.equals("running")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job did not finish: " + job);
            }
            Thread.sleep(50);
        }
    }

    static HttpRequest multipart(Http http, String path, String collection, String filename, String content) {
        String boundary = "----localrag" + System.nanoTime();
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"collection\"\r\n\r\n" + collection + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + content + "\r\n"
                + "--" + boundary + "--\r\n";
        return http.request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }
}
