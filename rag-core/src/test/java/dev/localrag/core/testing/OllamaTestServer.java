package dev.localrag.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.localrag.core.embed.Embedder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on a loopback port that speaks Ollama's API as documented in its api.md:
 *
 * <ul>
 *   <li>{@code GET /api/version}, {@code GET /api/tags}
 *   <li>{@code POST /api/show}: {@code model_info} with {@code test.context_length} and {@code
 *       test.embedding_length}, and {@code capabilities}
 *   <li>{@code POST /api/pull}: NDJSON progress ({@code pulling manifest}, per-layer {@code
 *       total}/{@code completed}, {@code success}) for models listed as pullable
 *   <li>{@code POST /api/embed}: input arrays; vectors from the configured {@link Embedder} (a
 *       {@link HashingEmbedder} by default, or the in-process ONNX one for meaningful retrieval);
 *       with {@code truncate: false} an input over the context length is a 400, else it is cut
 *       silently (as Ollama does) and counted in {@link #truncatedInputs()}
 *   <li>{@code POST /api/chat}: an NDJSON stream (or one object with {@code stream: false}) of a
 *       deterministic answer citing the numbered sources found in the prompt, ending with {@code
 *       done}, {@code done_reason}, {@code eval_count}; a listwise rerank prompt ({@code Question:},
 *       then {@code Passages:} and {@code [n] text} lines) is answered with the numbers of the
 *       passages sharing words with the question, most shared words first ({@code 3, 1})
 *   <li>{@code POST /v1/chat/completions} (SSE or JSON), {@code POST /v1/embeddings}, {@code GET
 *       /v1/models}
 * </ul>
 *
 * <p>Faults, set per test and changeable while it runs: {@link #refuseConnections()}, unknown model
 * (any model not in {@code models} answers 404), {@link #failNext(String, int, int)} (HTTP errors N
 * times, then success), {@link #slowFirstToken(Duration)}, {@link #slowTokens(Duration)}, {@link
 * #dropAfterTokens(int)}, {@link #malformedLineAfterTokens(int)}, {@link #errorAfterTokens(int)},
 * a required header ({@link Builder#requireHeader}). Every request is logged ({@link #requests()})
 * with its headers and the number in flight when it arrived; {@link #peakInFlight()} is the most at
 * once and {@link #disconnects()} lists streams the client closed early.
 */
public final class OllamaTestServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SOURCE_MARKER = Pattern.compile("^\\[(\\d+)] ", Pattern.MULTILINE);
    private static final Pattern FOLLOW_UP = Pattern.compile("^Follow-up: (.+)$", Pattern.MULTILINE);
    private static final Pattern FIRST_USER = Pattern.compile("^User: (.+)$", Pattern.MULTILINE);
    private static final Pattern RANK_QUESTION = Pattern.compile("\\AQuestion: (.+)$", Pattern.MULTILINE);
    private static final Pattern PASSAGE_LINE = Pattern.compile("^\\[(\\d+)] (.*)$", Pattern.MULTILINE);
    private static final Pattern WORD_TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|[^\\p{L}\\p{N}\\s]");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> models = ConcurrentHashMap.newKeySet();
    private final Set<String> pullable;
    private final Embedder embedder;
    private final boolean ownsEmbedder;
    private final int contextLength;
    private final String version;
    private final Map<String, String> requiredHeaders;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> disconnects = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger truncated = new AtomicInteger();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, Duration> pathDelays = new ConcurrentHashMap<>();
    private final int port;

    private volatile Duration firstTokenDelay = Duration.ZERO;
    private volatile Duration tokenDelay = Duration.ZERO;
    private volatile int dropAfter = -1;
    private volatile int malformedAfter = -1;
    private volatile int errorAfter = -1;

    /**
     * A request the server received.
     *
     * @param method HTTP method
     * @param path request path
     * @param body the JSON body, or a null node
     * @param headers request headers, names lower-cased (first value of each)
     * @param inFlightAtArrival requests in flight when it arrived, itself included
     */
    public record Request(
            String method, String path, JsonNode body, Map<String, String> headers, int inFlightAtArrival) {

        /** The texts of an embed request's {@code input} (an array or a single string). */
        public List<String> inputs() {
            List<String> out = new ArrayList<>();
            JsonNode input = body.path("input");
            if (input.isArray()) {
                input.forEach(n -> out.add(n.asText()));
            } else if (!input.isMissingNode()) {
                out.add(input.asText());
            }
            return out;
        }
    }

    private record Failure(int status, AtomicInteger remaining) {}

    /** The same as {@code builder().models(models).dimension(embeddingDimension).build()}. */
    public OllamaTestServer(Set<String> models, int embeddingDimension) throws IOException {
        this(builder().models(models).dimension(embeddingDimension));
    }

    private OllamaTestServer(Builder b) throws IOException {
        this.models.addAll(b.models);
        this.pullable = Set.copyOf(b.pullable);
        this.embedder = b.embedder != null ? b.embedder : new HashingEmbedder(b.dimension);
        this.ownsEmbedder = b.ownsEmbedder;
        this.contextLength = b.contextLength;
        this.version = b.version;
        this.requiredHeaders = Map.copyOf(b.requiredHeaders);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.port = server.getAddress().getPort();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures a server; {@link #build()} starts it. */
    public static final class Builder {
        private final Set<String> models = new java.util.TreeSet<>();
        private final Set<String> pullable = new java.util.TreeSet<>();
        private final Map<String, String> requiredHeaders = new LinkedHashMap<>();
        private int dimension = 64;
        private Embedder embedder;
        private boolean ownsEmbedder;
        private int contextLength = 8192;
        private String version = "0.12.0-test";

        private Builder() {}

        /** Models already pulled. */
        public Builder models(String... names) {
            models.addAll(List.of(names));
            return this;
        }

        public Builder models(Set<String> names) {
            models.addAll(names);
            return this;
        }

        /** Models {@code /api/pull} can fetch (others fail like an unknown name does). */
        public Builder pullable(String... names) {
            pullable.addAll(List.of(names));
            return this;
        }

        /** Vector length of the default {@link HashingEmbedder}. */
        public Builder dimension(int d) {
            dimension = d;
            return this;
        }

        /** Where {@code /api/embed} vectors come from (e.g. the in-process ONNX embedder). */
        public Builder embedder(Embedder e) {
            embedder = e;
            ownsEmbedder = false;
            return this;
        }

        /**
         * {@code /api/embed} vectors from the in-process {@code onnx:bge-small-en-v1.5} model, so
         * retrieval through the Ollama path is meaningful (slower: loads the model, ~22 texts/s).
         */
        public Builder onnxEmbeddings() {
            embedder = dev.localrag.core.embed.OnnxEmbedder.create(dev.localrag.core.embed.EmbedderSpec.DEFAULT_ONNX);
            ownsEmbedder = true;
            return this;
        }

        /** The context length every model reports and {@code /api/embed} enforces (in word tokens). */
        public Builder contextLength(int tokens) {
            contextLength = tokens;
            return this;
        }

        public Builder version(String v) {
            version = v;
            return this;
        }

        /** Every request must carry this header value, else 401 (like an auth proxy). */
        public Builder requireHeader(String name, String value) {
            requiredHeaders.put(name.toLowerCase(Locale.ROOT), value);
            return this;
        }

        public OllamaTestServer build() {
            try {
                return new OllamaTestServer(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the Ollama test server", e);
            }
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public List<Request> requests() {
        return Collections.unmodifiableList(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Most requests in flight at once so far. */
    public int peakInFlight() {
        return peak.get();
    }

    /** Paths of streams the client closed before the server finished writing them. */
    public List<String> disconnects() {
        return List.copyOf(disconnects);
    }

    /** Inputs cut to the context length because the client did not send {@code truncate: false}. */
    public int truncatedInputs() {
        return truncated.get();
    }

    /** Models currently pulled. */
    public Set<String> models() {
        return Set.copyOf(models);
    }

    public void addModel(String name) {
        models.add(name);
    }

    public void removeModel(String name) {
        models.remove(name);
    }

    /** The number of word tokens this server counts in {@code text} (what the context limit uses). */
    public static int tokens(String text) {
        Matcher m = WORD_TOKEN.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    // ---- faults -------------------------------------------------------------------------------

    /** Stops listening: connections to {@link #baseUrl()} are refused from now on. */
    public void refuseConnections() {
        server.stop(0);
    }

    /** The next {@code times} requests to {@code path} answer HTTP {@code status}; then it works. */
    public void failNext(String path, int status, int times) {
        failures.put(path, new Failure(status, new AtomicInteger(times)));
    }

    /** Waits this long before answering anything (headers included). */
    public void slowFirstToken(Duration delay) {
        firstTokenDelay = delay;
    }

    /** Waits this long before answering requests to {@code path} (headers included). */
    public void slowFirstToken(String path, Duration delay) {
        pathDelays.put(path, delay);
    }

    /** Waits this long between streamed tokens. */
    public void slowTokens(Duration delay) {
        tokenDelay = delay;
    }

    /** Streams drop the connection (no final chunk, no {@code done}) after {@code n} tokens. */
    public void dropAfterTokens(int n) {
        dropAfter = n;
    }

    /** Streams send a line that is not JSON after {@code n} tokens. */
    public void malformedLineAfterTokens(int n) {
        malformedAfter = n;
    }

    /** Streams send {@code {"error": ...}} after {@code n} tokens, as Ollama does mid-stream. */
    public void errorAfterTokens(int n) {
        errorAfter = n;
    }

    // ---- handling -----------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        boolean dropped = false;
        try {
            String path = exchange.getRequestURI().getPath();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body;
            try {
                body = raw.length == 0 ? JSON.nullNode() : JSON.readTree(raw);
            } catch (IOException e) {
                error(exchange, 400, "invalid JSON in request body");
                return;
            }
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
            requests.add(new Request(exchange.getRequestMethod(), path, body, Map.copyOf(headers), now));
            for (Map.Entry<String, String> h : requiredHeaders.entrySet()) {
                if (!h.getValue().equals(headers.get(h.getKey()))) {
                    error(exchange, 401, "unauthorized");
                    return;
                }
            }
            Failure failure = failures.get(path);
            if (failure != null && failure.remaining().getAndDecrement() > 0) {
                error(exchange, failure.status(), "injected failure (HTTP " + failure.status() + ")");
                return;
            }
            sleep(firstTokenDelay);
            sleep(pathDelays.getOrDefault(path, Duration.ZERO));
            switch (path) {
                case "/api/version" ->
                    json(exchange, 200, JSON.createObjectNode().put("version", version));
                case "/api/tags" -> json(exchange, 200, tags());
                case "/api/show" -> show(exchange, body);
                case "/api/pull" -> pull(exchange, body);
                case "/api/embed" -> embed(exchange, body);
                case "/api/chat" -> dropped = chat(exchange, body);
                case "/v1/models" -> json(exchange, 200, openAiModels());
                case "/v1/embeddings" -> openAiEmbed(exchange, body);
                case "/v1/chat/completions" -> dropped = openAiChat(exchange, body);
                default -> error(exchange, 404, "404 page not found");
            }
        } catch (ClientGone e) {
            disconnects.add(exchange.getRequestURI().getPath());
        } finally {
            inFlight.decrementAndGet();
            if (!dropped) {
                exchange.close();
            }
        }
        if (dropped) {
            // Escaping the handler makes the JDK server close the socket without the final chunk.
            throw new IOException("connection dropped by fault injection");
        }
    }

    /** The client closed the connection while we were writing. */
    private static final class ClientGone extends RuntimeException {
        ClientGone(Throwable cause) {
            super(cause);
        }
    }

    private ObjectNode tags() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("models");
        for (String m : models.stream().sorted().toList()) {
            list.addObject()
                    .put("name", m)
                    .put("model", m)
                    .put("modified_at", "2026-01-01T00:00:00Z")
                    .put("size", 1000)
                    .put("digest", "sha256:" + Integer.toHexString(m.hashCode()))
                    .putObject("details")
                    .put("format", "gguf")
                    .put("family", "test");
        }
        return root;
    }

    private void show(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asText(body.path("name").asText());
        if (!models.contains(model)) {
            error(exchange, 404, "model '" + model + "' not found");
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("modelfile", "FROM test\nPARAMETER num_ctx " + contextLength);
        root.put("parameters", "num_ctx " + contextLength);
        root.put("template", "{{ .Prompt }}");
        root.putObject("details").put("format", "gguf").put("family", "test").put("parameter_size", "1M");
        root.putObject("model_info")
                .put("general.architecture", "test")
                .put("general.parameter_count", 1_000_000)
                .put("test.context_length", contextLength)
                .put("test.embedding_length", embedder.dimension());
        root.putArray("capabilities").add("completion").add("embedding");
        json(exchange, 200, root);
    }

    private void pull(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asText(body.path("name").asText());
        boolean stream = !body.has("stream") || body.path("stream").asBoolean(true);
        OutputStream out = startStream(exchange, stream);
        if (!pullable.contains(model) && !models.contains(model)) {
            write(out, JSON.createObjectNode().put("error", "pull model manifest: file does not exist"));
            return;
        }
        if (stream) {
            write(out, JSON.createObjectNode().put("status", "pulling manifest"));
            String digest = "sha256:" + String.format(Locale.ROOT, "%064x", Math.abs((long) model.hashCode()));
            long total = 3_000_000;
            for (long done = 0; done <= total; done += 1_000_000) {
                ObjectNode p = JSON.createObjectNode()
                        .put("status", "pulling " + digest.substring(7, 19))
                        .put("digest", digest)
                        .put("total", total);
                if (done > 0) {
                    p.put("completed", done);
                }
                write(out, p);
                sleep(tokenDelay);
            }
            write(out, JSON.createObjectNode().put("status", "verifying sha256 digest"));
            write(out, JSON.createObjectNode().put("status", "writing manifest"));
        }
        models.add(model);
        write(out, JSON.createObjectNode().put("status", "success"));
    }

    private void embed(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asText();
        if (!models.contains(model)) {
            error(exchange, 404, "model \"" + model + "\" not found, try pulling it first");
            return;
        }
        int ctx = body.path("options").path("num_ctx").asInt(contextLength);
        ctx = Math.min(ctx, contextLength);
        boolean truncate = body.path("truncate").asBoolean(true);
        List<String> inputs = new ArrayList<>();
        JsonNode input = body.path("input");
        if (input.isArray()) {
            input.forEach(n -> inputs.add(n.asText()));
        } else {
            inputs.add(input.asText());
        }
        int promptTokens = 0;
        List<String> effective = new ArrayList<>();
        for (String text : inputs) {
            int n = tokens(text);
            if (n > ctx) {
                if (!truncate) {
                    error(exchange, 400, "the input length exceeds the context length");
                    return;
                }
                truncated.incrementAndGet();
                text = firstTokens(text, ctx);
                n = ctx;
            }
            promptTokens += n;
            effective.add(text);
        }
        ObjectNode root = JSON.createObjectNode().put("model", model);
        ArrayNode embeddings = root.putArray("embeddings");
        for (float[] v : embedder.embedDocuments(effective)) {
            ArrayNode row = embeddings.addArray();
            for (float x : v) {
                row.add(x);
            }
        }
        root.put("total_duration", 1000).put("load_duration", 10).put("prompt_eval_count", promptTokens);
        json(exchange, 200, root);
    }

    /** Returns true when the connection must be dropped. */
    private boolean chat(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asText();
        if (!models.contains(model)) {
            error(exchange, 404, "model \"" + model + "\" not found, try pulling it first");
            return false;
        }
        List<String> tokens = answerTokens(lastUserMessage(body));
        boolean stream = !body.has("stream") || body.path("stream").asBoolean(true);
        OutputStream out = startStream(exchange, stream);
        if (!stream) {
            write(out, chunk(model, String.join("", tokens), true, tokens.size()));
            return false;
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (i > 0) {
                sleep(tokenDelay);
            }
            if (i == dropAfter) {
                return true;
            }
            if (i == malformedAfter) {
                writeRaw(out, "{\"model\": \"" + model + "\", \"message\": {\"content\": oops\n");
                return false;
            }
            if (i == errorAfter) {
                write(out, JSON.createObjectNode().put("error", "an error was encountered while running the model"));
                return false;
            }
            write(out, chunk(model, tokens.get(i), false, 0));
        }
        write(out, chunk(model, "", true, tokens.size()));
        return false;
    }

    private ObjectNode openAiModels() {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String m : models.stream().sorted().toList()) {
            data.addObject()
                    .put("id", m)
                    .put("object", "model")
                    .put("created", 1767225600)
                    .put("owned_by", "library");
        }
        return root;
    }

    private void openAiEmbed(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asText();
        if (!models.contains(model)) {
            openAiError(exchange, 404, "model \"" + model + "\" not found, try pulling it first");
            return;
        }
        List<String> inputs = new Request("POST", "/v1/embeddings", body, Map.of(), 0).inputs();
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        List<float[]> vectors = embedder.embedDocuments(inputs);
        int promptTokens = 0;
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode row = item.putArray("embedding");
            for (float x : vectors.get(i)) {
                row.add(x);
            }
            promptTokens += tokens(inputs.get(i));
        }
        root.put("model", model);
        root.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        json(exchange, 200, root);
    }

    /** Returns true when the connection must be dropped. */
    private boolean openAiChat(HttpExchange exchange, JsonNode body) throws IOException {
        String model = body.path("model").asText();
        if (!models.contains(model)) {
            openAiError(exchange, 404, "model \"" + model + "\" not found, try pulling it first");
            return false;
        }
        List<String> tokens = answerTokens(lastUserMessage(body));
        boolean stream = body.path("stream").asBoolean(false);
        String id = "chatcmpl-" + Math.abs(model.hashCode());
        if (!stream) {
            ObjectNode root = JSON.createObjectNode()
                    .put("id", id)
                    .put("object", "chat.completion")
                    .put("created", 1767225600)
                    .put("model", model)
                    .put("system_fingerprint", "fp_ollama");
            ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", String.join("", tokens));
            choice.put("finish_reason", "stop");
            root.putObject("usage")
                    .put("prompt_tokens", 34)
                    .put("completion_tokens", tokens.size())
                    .put("total_tokens", 34 + tokens.size());
            json(exchange, 200, root);
            return false;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < tokens.size(); i++) {
            if (i > 0) {
                sleep(tokenDelay);
            }
            if (i == dropAfter) {
                return true;
            }
            if (i == malformedAfter) {
                writeRaw(out, "data: {\"id\": oops\n\n");
                return false;
            }
            writeRaw(
                    out,
                    "data: " + JSON.writeValueAsString(openAiChunk(id, model, tokens.get(i), i == 0, null)) + "\n\n");
        }
        writeRaw(out, "data: " + JSON.writeValueAsString(openAiChunk(id, model, "", false, "stop")) + "\n\n");
        writeRaw(out, "data: [DONE]\n\n");
        return false;
    }

    private static ObjectNode openAiChunk(String id, String model, String content, boolean first, String finish) {
        ObjectNode n = JSON.createObjectNode()
                .put("id", id)
                .put("object", "chat.completion.chunk")
                .put("created", 1767225600)
                .put("model", model)
                .put("system_fingerprint", "fp_ollama");
        ObjectNode choice = n.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (first) {
            delta.put("role", "assistant");
        }
        if (!content.isEmpty() || finish == null) {
            delta.put("content", content);
        }
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return n;
    }

    private static String lastUserMessage(JsonNode body) {
        String prompt = "";
        for (JsonNode message : body.path("messages")) {
            if (message.path("role").asText().equals("user")) {
                JsonNode content = message.path("content");
                prompt = content.isTextual() ? content.asText() : content.toString();
            }
        }
        return prompt;
    }

    /** "The sources say so [1][2]." split into word tokens, citing every source in the prompt. */
    static List<String> answerTokens(String prompt) {
        // a listwise rerank request ("Question: ...", "Passages:", "[n] text" lines): the numbers of the
        // passages holding any question word, most such words first (ties: lower number first)
        Matcher question = RANK_QUESTION.matcher(prompt);
        if (question.find() && prompt.contains("\nPassages:\n")) {
            return List.of(String.join(", ", rankByOverlap(question.group(1), prompt)));
        }
        // a condense request ("User: ... Follow-up: ..."): the first user question joined with the follow-up
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
        return List.of(answer.split("(?<= )"));
    }

    private static List<String> rankByOverlap(String question, String prompt) {
        java.util.Set<String> words = new java.util.HashSet<>();
        Matcher w = WORD_TOKEN.matcher(question.toLowerCase(java.util.Locale.ROOT));
        while (w.find()) {
            if (w.group().length() > 2) {
                words.add(w.group());
            }
        }
        List<int[]> scored = new ArrayList<>(); // {number, overlap}
        Matcher passage = PASSAGE_LINE.matcher(prompt);
        while (passage.find()) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            Matcher t = WORD_TOKEN.matcher(passage.group(2).toLowerCase(java.util.Locale.ROOT));
            while (t.find()) {
                if (words.contains(t.group())) {
                    seen.add(t.group());
                }
            }
            if (!seen.isEmpty()) {
                scored.add(new int[] {Integer.parseInt(passage.group(1)), seen.size()});
            }
        }
        scored.sort((a, b) -> a[1] != b[1] ? b[1] - a[1] : a[0] - b[0]);
        return scored.stream().map(a -> Integer.toString(a[0])).toList();
    }

    private static String firstTokens(String text, int n) {
        Matcher m = WORD_TOKEN.matcher(text);
        int count = 0;
        int end = 0;
        while (count < n && m.find()) {
            count++;
            end = m.end();
        }
        return text.substring(0, end);
    }

    private static ObjectNode chunk(String model, String content, boolean done, int evalCount) {
        ObjectNode n = JSON.createObjectNode().put("model", model).put("created_at", "2026-01-01T00:00:00Z");
        n.putObject("message").put("role", "assistant").put("content", content);
        n.put("done", done);
        if (done) {
            n.put("done_reason", "stop")
                    .put("total_duration", 1000)
                    .put("load_duration", 10)
                    .put("prompt_eval_count", 34)
                    .put("eval_count", evalCount)
                    .put("eval_duration", 500);
        }
        return n;
    }

    private static OutputStream startStream(HttpExchange exchange, boolean stream) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", stream ? "application/x-ndjson" : "application/json");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void write(OutputStream out, JsonNode node) {
        try {
            writeRaw(out, JSON.writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    private static void writeRaw(OutputStream out, String s) {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
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

    private static void openAiError(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error")
                .put("message", message)
                .put("type", "api_error")
                .putNull("param")
                .putNull("code");
        json(exchange, status, root);
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        if (ownsEmbedder) {
            embedder.close();
        }
    }
}
