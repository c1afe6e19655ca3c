package dev.localrag.core.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.localrag.core.Checks;
import dev.localrag.core.IncompleteAnswerException;
import dev.localrag.core.LocalRagException;
import dev.localrag.core.ModelNotFoundException;
import dev.localrag.core.ModelProtocolException;
import dev.localrag.core.OperationCancelledException;
import dev.localrag.core.TransientModelException;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.ollama.ModelServerErrors.Dialect;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A small client for Ollama's native API ({@code /api/*}, see Ollama's api.md) on {@code
 * java.net.http}, with what production use needs and LangChain4j's Ollama client does not give: the
 * HTTP status of every failure mapped in one place ({@link ModelServerErrors}), bounded retries with
 * exponential backoff and jitter before the first token only, separate deadlines for connect / first
 * token / idle gap / whole request, {@code /api/show} (context and embedding length) and {@code
 * /api/pull} with progress, a per-server {@link RequestLimiter} where interactive calls go first,
 * malformed NDJSON reported as a protocol error, and cancellation (interrupting the caller) that
 * closes the HTTP stream.
 *
 * <p>One client per server: share it between the embedder and the generator so the limiter sees
 * all requests.
 */
public final class OllamaClient implements AutoCloseable {

    /** A chat message. */
    public record Message(String role, String content) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OllamaSettings settings;
    private final URI baseUrl;
    private HttpClient http; // created on first request: a keyword search never pays for it (TLS set-up)
    private boolean closed;
    private final RequestLimiter limiter;
    private final Consumer<PullProgress> pullProgress;
    private final Map<String, ModelInfo> shown = new ConcurrentHashMap<>();

    public OllamaClient(OllamaSettings settings) {
        this(settings, p -> {});
    }

    /**
     * @param pullProgress receives the progress of automatic pulls ({@link OllamaSettings#autoPull()})
     */
    public OllamaClient(OllamaSettings settings, Consumer<PullProgress> pullProgress) {
        this.settings = Checks.notNull(settings, "settings");
        this.baseUrl = settings.baseUrl();
        this.pullProgress = Checks.notNull(pullProgress, "pullProgress");
        this.limiter = new RequestLimiter(settings.maxInFlight());
    }

    private synchronized HttpClient http() {
        if (closed) {
            throw new IllegalStateException("the Ollama client for " + baseUrl + " is closed");
        }
        if (http == null) {
            http = HttpClient.newBuilder()
                    .connectTimeout(settings.connectTimeout())
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return http;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public OllamaSettings settings() {
        return settings;
    }

    public RequestLimiter limiter() {
        return limiter;
    }

    /** {@code GET /api/version}. */
    public String version() {
        return call("GET", "/api/version", null, Priority.INTERACTIVE, null, "the version check")
                .path("version")
                .asText("");
    }

    /** {@code GET /api/tags}: the names of the pulled models. */
    public List<String> models() {
        JsonNode tags = call("GET", "/api/tags", null, Priority.INTERACTIVE, null, "listing models");
        List<String> names = new ArrayList<>();
        for (JsonNode m : tags.path("models")) {
            names.add(m.path("name").asText(m.path("model").asText()));
        }
        return List.copyOf(names);
    }

    /** {@code POST /api/show}, cached per model; a missing model is a {@link ModelNotFoundException}. */
    public ModelInfo show(String model) {
        Checks.notBlank(model, "model");
        ModelInfo cached = shown.get(model);
        if (cached != null) {
            return cached;
        }
        ModelInfo info = withAutoPull(model, () -> {
            ObjectNode body = JSON.createObjectNode().put("model", model);
            return parseShow(
                    model, call("POST", "/api/show", body, Priority.INTERACTIVE, model, "describing " + model));
        });
        shown.put(model, info);
        return info;
    }

    static ModelInfo parseShow(String model, JsonNode n) {
        JsonNode info = n.path("model_info");
        String arch = info.path("general.architecture").asText("");
        int context = 0;
        int embedding = 0;
        Iterator<Map.Entry<String, JsonNode>> fields = info.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            boolean ours = arch.isEmpty() || key.startsWith(arch + ".");
            if (ours && key.endsWith(".context_length")) {
                context = f.getValue().asInt();
            } else if (ours && key.endsWith(".embedding_length")) {
                embedding = f.getValue().asInt();
            }
        }
        List<String> capabilities = new ArrayList<>();
        n.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        return new ModelInfo(model, arch, context, embedding, capabilities);
    }

    /**
     * {@code POST /api/pull}, streaming progress to {@code progress}; returns when Ollama says
     * {@code success}.
     */
    public void pull(String model, Consumer<PullProgress> progress) {
        Checks.notBlank(model, "model");
        ObjectNode body = JSON.createObjectNode().put("model", model).put("stream", true);
        String what = "pulling " + model;
        withRetries(() -> {
            stream("/api/pull", body, Priority.INTERACTIVE, model, what, settings.timeout(), settings.timeout(), n -> {
                if (n.has("error")) {
                    throw new dev.localrag.core.ModelRequestException(
                            500,
                            "Ollama at " + baseUrl + " could not pull " + model + ": "
                                    + n.path("error").asText() + " (check the name on https://ollama.com/library)");
                }
                PullProgress p = new PullProgress(
                        n.path("status").asText(""),
                        n.path("digest").asText(""),
                        n.path("total").asLong(0),
                        n.path("completed").asLong(0));
                progress.accept(p);
                return p.status().equals("success");
            });
            return null;
        });
        shown.remove(model);
    }

    /**
     * {@code POST /api/embed} with an input array, {@code truncate: false} (Ollama then rejects an
     * over-long input instead of silently cutting it). Callers keep batches small; see {@code
     * OllamaEmbedder}.
     *
     * @param numCtx context length to run the model with, or 0 for the server's default
     */
    public List<float[]> embed(String model, List<String> inputs, int numCtx, Priority priority) {
        Checks.notBlank(model, "model");
        Checks.notEmpty(inputs, "inputs");
        ObjectNode body = JSON.createObjectNode().put("model", model).put("truncate", false);
        ArrayNode array = body.putArray("input");
        inputs.forEach(array::add);
        if (numCtx > 0) {
            body.putObject("options").put("num_ctx", numCtx);
        }
        if (settings.keepAlive() != null) {
            body.put("keep_alive", settings.keepAlive());
        }
        String what = "embedding " + inputs.size() + " text(s) with " + model;
        JsonNode n = withAutoPull(model, () -> call("POST", "/api/embed", body, priority, model, what));
        JsonNode embeddings = n.path("embeddings");
        if (!embeddings.isArray() || embeddings.size() != inputs.size()) {
            throw new ModelProtocolException("Ollama at " + baseUrl + " answered " + what + " with "
                    + (embeddings.isArray() ? embeddings.size() + " vectors" : "no 'embeddings' array") + " for "
                    + inputs.size() + " inputs");
        }
        List<float[]> out = new ArrayList<>(inputs.size());
        for (JsonNode row : embeddings) {
            float[] v = new float[row.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) row.get(i).asDouble();
            }
            out.add(v);
        }
        return out;
    }

    /**
     * {@code POST /api/chat}, streamed: each piece of the answer goes to {@code onToken} as it
     * arrives. Failures before the first token are retried (bounded, with backoff); after it the
     * caller gets an {@link IncompleteAnswerException} carrying the partial text. Interrupting the
     * calling thread closes the stream and throws {@link OperationCancelledException}.
     *
     * @param options Ollama model options (e.g. temperature); {@code num_ctx} is added from settings
     */
    public ChatResult chat(
            String model, List<Message> messages, Map<String, Object> options, Consumer<String> onToken) {
        Checks.notBlank(model, "model");
        Checks.notEmpty(messages, "messages");
        ObjectNode body = JSON.createObjectNode().put("model", model).put("stream", true);
        ArrayNode array = body.putArray("messages");
        messages.forEach(m -> array.addObject().put("role", m.role()).put("content", m.content()));
        ObjectNode opts = JSON.valueToTree(options);
        if (settings.numCtxFor(model) > 0) {
            opts.put("num_ctx", settings.numCtxFor(model));
        }
        if (!opts.isEmpty()) {
            body.set("options", opts);
        }
        if (settings.keepAlive() != null) {
            body.put("keep_alive", settings.keepAlive());
        }
        String what = "chatting with " + model;
        return withAutoPull(
                model,
                () -> withRetries(() -> {
                    long start = System.nanoTime();
                    StringBuilder text = new StringBuilder();
                    long[] firstToken = {-1};
                    String[] doneReason = {""};
                    int[] counts = {0, 0};
                    try {
                        stream(
                                "/api/chat",
                                body,
                                Priority.INTERACTIVE,
                                model,
                                what,
                                settings.firstTokenTimeout(),
                                settings.idleTimeout(),
                                n -> {
                                    if (n.has("error")) {
                                        throw new TransientModelException(
                                                "Ollama at " + baseUrl + " reported an error while " + what + ": "
                                                        + n.path("error").asText());
                                    }
                                    String content =
                                            n.path("message").path("content").asText("");
                                    if (!content.isEmpty()) {
                                        if (firstToken[0] < 0) {
                                            firstToken[0] = System.nanoTime() - start;
                                        }
                                        text.append(content);
                                        onToken.accept(content);
                                    }
                                    if (n.path("done").asBoolean(false)) {
                                        doneReason[0] = n.path("done_reason").asText("");
                                        counts[0] = n.path("eval_count").asInt(0);
                                        counts[1] = n.path("prompt_eval_count").asInt(0);
                                        return true;
                                    }
                                    return false;
                                });
                    } catch (LocalRagException e) {
                        if (text.isEmpty() || e instanceof OperationCancelledException) {
                            throw e;
                        }
                        throw new IncompleteAnswerException(
                                "The answer from " + model + " stopped before it was complete: " + e.getMessage(),
                                text.toString(),
                                e);
                    }
                    return new ChatResult(
                            text.toString(), doneReason[0], counts[0], counts[1], Math.max(firstToken[0], 0));
                }));
    }

    /** Handles one decoded NDJSON object; returns true when it was the last. */
    private interface LineHandler {
        boolean handle(JsonNode line);
    }

    /**
     * Sends a streamed request and feeds each NDJSON line to {@code handler} until it returns true.
     * Deadlines: {@code first} until the first line, then {@code idle} between lines, and the whole
     * request timeout overall.
     */
    private void stream(
            String path,
            JsonNode body,
            Priority priority,
            String model,
            String what,
            Duration first,
            Duration idle,
            LineHandler handler) {
        try (RequestLimiter.Permit permit = limiter.acquire(priority)) {
            LineStream lines = new LineStream();
            HttpRequest request = request(path, settings.timeout())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)))
                    .build();
            CompletableFuture<HttpResponse<Void>> future = http().sendAsync(request, lines);
            future.whenComplete((r, e) -> {
                if (e != null) {
                    lines.failed(
                            e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                    ? e.getCause()
                                    : e);
                }
            });
            long start = System.nanoTime();
            long overallDeadline = start + settings.timeout().toNanos();
            long deadline = Math.min(overallDeadline, start + first.toNanos());
            String waitingFor = "the first token (ollama.firstTokenTimeoutSeconds = " + first.toSeconds() + " s)";
            int status = -1;
            List<String> errorBody = new ArrayList<>();
            int lineNo = 0;
            try {
                while (true) {
                    LineStream.Event event;
                    try {
                        event = lines.next(deadline - System.nanoTime());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new OperationCancelledException(
                                "Cancelled " + what + "; the connection to " + baseUrl + " was closed.");
                    }
                    switch (event) {
                        case LineStream.Timeout t -> {
                            String which = deadline >= overallDeadline
                                    ? "the whole request (ollama.timeoutSeconds = "
                                            + settings.timeout().toSeconds() + " s)"
                                    : waitingFor;
                            throw new TransientModelException(
                                    "Ollama at " + baseUrl + " timed out " + what + ": waited too long for " + which);
                        }
                        case LineStream.Failed f -> {
                            Throwable cause = f.error();
                            IOException io = cause instanceof IOException ioe ? ioe : new IOException(cause);
                            throw ModelServerErrors.forIo(Dialect.OLLAMA, baseUrl, io, what);
                        }
                        case LineStream.Status s -> status = s.code();
                        case LineStream.End end -> {
                            if (status != 200) {
                                throw ModelServerErrors.forStatus(
                                        Dialect.OLLAMA, baseUrl, status, String.join("\n", errorBody), model, what);
                            }
                            throw new TransientModelException("Ollama at " + baseUrl + " closed the stream while "
                                    + what + " before saying it was done");
                        }
                        case LineStream.Line l -> {
                            if (status != 200) {
                                errorBody.add(l.text());
                                continue;
                            }
                            lineNo++;
                            if (l.text().isBlank()) {
                                continue;
                            }
                            JsonNode n;
                            try {
                                n = JSON.readTree(l.text());
                            } catch (IOException e) {
                                throw new ModelProtocolException(
                                        "Ollama at " + baseUrl + " sent a malformed line " + lineNo + " while " + what
                                                + " (not JSON): " + abbreviate(l.text())
                                                + ". The connection was closed. Is OLLAMA_HOST pointing at Ollama?",
                                        e);
                            }
                            if (!n.isObject()) {
                                throw new ModelProtocolException("Ollama at " + baseUrl + " sent line " + lineNo
                                        + " that is not a JSON object while " + what + ": " + abbreviate(l.text()));
                            }
                            if (handler.handle(n)) {
                                return;
                            }
                            deadline = Math.min(overallDeadline, System.nanoTime() + idle.toNanos());
                            waitingFor = "the next token (ollama.idleTimeoutSeconds = " + idle.toSeconds() + " s)";
                        }
                    }
                }
            } finally {
                lines.cancel();
                future.cancel(true);
            }
        }
    }

    /** Sends a request whose answer is one JSON object. */
    private JsonNode call(String method, String path, JsonNode body, Priority priority, String model, String what) {
        return withRetries(() -> {
            try (RequestLimiter.Permit permit = limiter.acquire(priority)) {
                HttpRequest.Builder b = request(path, settings.firstTokenTimeout());
                if (body == null) {
                    b.GET();
                } else {
                    b.POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
                }
                HttpResponse<String> r =
                        http().send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() / 100 != 2) {
                    throw ModelServerErrors.forStatus(Dialect.OLLAMA, baseUrl, r.statusCode(), r.body(), model, what);
                }
                try {
                    return JSON.readTree(r.body());
                } catch (IOException e) {
                    throw new ModelProtocolException(
                            "Ollama at " + baseUrl + " answered " + what + " with something that is not JSON: "
                                    + abbreviate(r.body()) + ". Is OLLAMA_HOST pointing at Ollama?",
                            e);
                }
            } catch (IOException e) {
                throw ModelServerErrors.forIo(Dialect.OLLAMA, baseUrl, e, what);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationCancelledException("Cancelled " + what + ".");
            }
        });
    }

    private <T> T withAutoPull(String model, Supplier<T> action) {
        try {
            return action.get();
        } catch (ModelNotFoundException e) {
            if (!settings.autoPull() || !model.equals(e.model())) {
                throw e;
            }
            pull(model, pullProgress);
            return action.get();
        }
    }

    private <T> T withRetries(Supplier<T> attempt) {
        for (int retry = 0; ; retry++) {
            try {
                return attempt.get();
            } catch (LocalRagException e) {
                if (!ModelServerErrors.isRetriable(e)) {
                    throw e;
                }
                if (retry >= settings.maxRetries()) {
                    if (retry == 0) {
                        throw e;
                    }
                    throw new TransientModelException(
                            e.getMessage() + " (gave up after " + (retry + 1) + " attempts; ollama.maxRetries = "
                                    + settings.maxRetries() + ")",
                            e);
                }
                sleep(backoff(retry));
            }
        }
    }

    /** Exponential backoff with jitter: half the doubled delay fixed, half random; capped at 30 s. */
    Duration backoff(int retry) {
        long base = settings.retryBaseDelay().toMillis();
        long exp = Math.min(30_000, base * (1L << Math.min(retry, 16)));
        long half = exp / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCancelledException("Cancelled while waiting to retry.");
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/x-ndjson");
        settings.headers().forEach(b::header);
        return b;
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a request body", e);
        }
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.strip();
        return "\"" + (t.length() > 120 ? t.substring(0, 120) + "..." : t) + "\"";
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (http != null) {
            http.close();
        }
    }
}
