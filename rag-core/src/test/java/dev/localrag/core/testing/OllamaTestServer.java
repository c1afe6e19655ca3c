package dev.localrag.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on a loopback port that speaks the parts of Ollama's API LocalRAG uses, as
 * documented in Ollama's api.md: {@code /api/version}, {@code /api/tags}, {@code /api/embed}
 * (vectors from a {@link HashingEmbedder}) and {@code /api/chat} (an NDJSON stream of a
 * deterministic answer that cites the numbered sources found in the prompt).
 */
public final class OllamaTestServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SOURCE_MARKER = Pattern.compile("^\\[(\\d+)] ", Pattern.MULTILINE);
    private static final Pattern FOLLOW_UP = Pattern.compile("^Follow-up: (.+)$", Pattern.MULTILINE);
    private static final Pattern FIRST_USER = Pattern.compile("^User: (.+)$", Pattern.MULTILINE);

    private final HttpServer server;
    private final Set<String> models;
    private final HashingEmbedder embedder;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** A request the server received. */
    public record Request(String method, String path, JsonNode body) {}

    public OllamaTestServer(Set<String> models, int embeddingDimension) throws IOException {
        this.models = Set.copyOf(models);
        this.embedder = new HashingEmbedder(embeddingDimension);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return Collections.unmodifiableList(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.nullNode() : JSON.readTree(raw);
            requests.add(new Request(exchange.getRequestMethod(), path, body));
            switch (path) {
                case "/api/version" ->
                    json(exchange, 200, JSON.createObjectNode().put("version", "0.12.0-test"));
                case "/api/tags" -> json(exchange, 200, tags());
                case "/api/embed" -> embed(exchange, body);
                case "/api/chat" -> chat(exchange, body);
                default -> error(exchange, 404, "404 page not found");
            }
        }
    }

    private ObjectNode tags() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("models");
        for (String m : models.stream().sorted().toList()) {
            list.addObject().put("name", m).put("model", m).put("size", 1000);
        }
        return root;
    }

    private void embed(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asText();
        if (!models.contains(model)) {
            error(exchange, 404, "model \"" + model + "\" not found, try pulling it first");
            return;
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = body.path("input");
        if (input.isArray()) {
            input.forEach(n -> inputs.add(n.asText()));
        } else {
            inputs.add(input.asText());
        }
        ObjectNode root = JSON.createObjectNode().put("model", model);
        ArrayNode embeddings = root.putArray("embeddings");
        for (float[] v : embedder.embedDocuments(inputs)) {
            ArrayNode row = embeddings.addArray();
            for (float x : v) {
                row.add(x);
            }
        }
        json(exchange, 200, root);
    }

    private void chat(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asText();
        if (!models.contains(model)) {
            error(exchange, 404, "model \"" + model + "\" not found, try pulling it first");
            return;
        }
        String prompt = "";
        for (JsonNode message : body.path("messages")) {
            if (message.path("role").asText().equals("user")) {
                prompt = message.path("content").asText();
            }
        }
        List<String> tokens = answerTokens(prompt);
        boolean stream = !body.has("stream") || body.path("stream").asBoolean(true);
        exchange.getResponseHeaders().set("Content-Type", stream ? "application/x-ndjson" : "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        if (stream) {
            for (String token : tokens) {
                out.write(line(chunk(model, token, false)));
                out.flush();
            }
            out.write(line(chunk(model, "", true)));
        } else {
            out.write(JSON.writeValueAsBytes(chunk(model, String.join("", tokens), true)));
        }
    }

    /**
     * A condense request ("User: ... Follow-up: ...") gets the first user question joined with the
     * follow-up; an answer request gets "... sources [1][2]." citing every source in the prompt.
     * Both are split into word tokens.
     */
    static List<String> answerTokens(String prompt) {
        Matcher followUp = FOLLOW_UP.matcher(prompt);
        if (followUp.find()) {
            Matcher firstUser = FIRST_USER.matcher(prompt);
            String topic = firstUser.find() ? firstUser.group(1).strip() + " " : "";
            return List.of((topic + followUp.group(1).strip()).split("(?<= )"));
        }
        Matcher m = SOURCE_MARKER.matcher(prompt);
        StringBuilder cites = new StringBuilder();
        while (m.find()) {
            cites.append('[').append(m.group(1)).append(']');
        }
        String answer = cites.isEmpty()
                ? "Your documents do not contain the answer."
                : "According to your documents, the answer is in these sources " + cites + ".";
        List<String> tokens = new ArrayList<>();
        for (String word : answer.split("(?<= )")) {
            tokens.add(word);
        }
        return tokens;
    }

    private static ObjectNode chunk(String model, String content, boolean done) {
        ObjectNode n = JSON.createObjectNode().put("model", model).put("created_at", "2026-01-01T00:00:00Z");
        n.putObject("message").put("role", "assistant").put("content", content);
        n.put("done", done);
        if (done) {
            n.put("done_reason", "stop").put("eval_count", 12).put("prompt_eval_count", 34);
        }
        return n;
    }

    private static byte[] line(JsonNode node) throws IOException {
        return (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange exchange, int status, JsonNode node) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(node);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, JSON.createObjectNode().put("error", message));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
