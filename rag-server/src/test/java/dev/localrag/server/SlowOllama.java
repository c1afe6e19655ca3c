package dev.localrag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.localrag.core.testing.HashingEmbedder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Ollama stand-in whose {@code /api/chat} streams {@code tokens} tokens {@code delayMillis}
 * apart, and notices when LocalRAG closes the stream early (a cancelled generation). Embeddings are
 * the same hashing vectors as the project's OllamaTestServer, so indexes built there work here.
 */
final class SlowOllama implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HashingEmbedder embedder = new HashingEmbedder(TestCorpus.DIM);
    private final int tokens;
    private final long delayMillis;
    final AtomicInteger chatsStarted = new AtomicInteger();
    final AtomicInteger chatsCompleted = new AtomicInteger();
    final AtomicInteger chatsAbandoned = new AtomicInteger();
    final CountDownLatch abandoned = new CountDownLatch(1);

    SlowOllama(int tokens, long delayMillis) throws IOException {
        this.tokens = tokens;
        this.delayMillis = delayMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.nullNode() : JSON.readTree(raw);
            switch (path) {
                case "/api/version" -> json(exchange, JSON.createObjectNode().put("version", "0.12.0-slow"));
                case "/api/tags" -> {
                    ObjectNode root = JSON.createObjectNode();
                    ArrayNode models = root.putArray("models");
                    models.addObject().put("name", TestCorpus.CHAT_MODEL);
                    models.addObject().put("name", TestCorpus.EMBED_MODEL);
                    json(exchange, root);
                }
                case "/api/show" -> { // what OllamaClient asks before embedding: the context length
                    ObjectNode root = JSON.createObjectNode();
                    root.putObject("model_info")
                            .put("general.architecture", "test")
                            .put("test.context_length", 8192)
                            .put("test.embedding_length", TestCorpus.DIM);
                    json(exchange, root);
                }
                case "/api/embed" -> {
                    ObjectNode root = JSON.createObjectNode();
                    ArrayNode embeddings = root.putArray("embeddings");
                    JsonNode input = body.path("input");
                    java.util.List<String> texts = new java.util.ArrayList<>();
                    if (input.isArray()) {
                        input.forEach(n -> texts.add(n.asText()));
                    } else {
                        texts.add(input.asText());
                    }
                    for (float[] v : embedder.embedDocuments(texts)) {
                        ArrayNode row = embeddings.addArray();
                        for (float x : v) {
                            row.add(x);
                        }
                    }
                    json(exchange, root);
                }
                case "/api/chat" -> chat(exchange);
                default -> {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        }
    }

    private void chat(HttpExchange exchange) throws IOException {
        chatsStarted.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (int i = 0; i < tokens; i++) {
                out.write(line(TestCorpus.CHAT_MODEL, i == 0 ? "Slow answer [1]" : " word" + i, false));
                out.flush();
                Thread.sleep(delayMillis);
            }
            out.write(line(TestCorpus.CHAT_MODEL, "", true));
            out.flush();
            chatsCompleted.incrementAndGet();
        } catch (IOException e) {
            chatsAbandoned.incrementAndGet(); // LocalRAG closed the connection: the generation was cancelled
            abandoned.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] line(String model, String content, boolean done) throws IOException {
        ObjectNode n = JSON.createObjectNode().put("model", model).put("created_at", "2026-01-01T00:00:00Z");
        n.putObject("message").put("role", "assistant").put("content", content);
        n.put("done", done);
        if (done) {
            n.put("done_reason", "stop");
        }
        return (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange exchange, JsonNode node) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(node);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
