package dev.localrag.core.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.ModelProtocolException;
import dev.localrag.core.OperationCancelledException;
import dev.localrag.core.ollama.ModelServerErrors;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A reranker behind the {@code /v1/rerank} API that llama.cpp's server, vLLM, Infinity and Jina
 * serve (Cohere's request and response shape): {@code POST {model, query, documents, top_n}} answers
 * {@code {results: [{index, relevance_score}]}}. Spec {@code MODEL@URL}: the URL is the server's
 * base ({@code http://localhost:8080}; {@code /v1/rerank} is appended, or only {@code /rerank} when
 * the URL already ends in {@code /v1}).
 */
public final class HttpReranker implements Reranker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String model;
    private final URI baseUrl;
    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;

    public HttpReranker(String model, URI baseUrl, Duration timeout) {
        this.model = Checks.notBlank(model, "model");
        this.baseUrl = Checks.notNull(baseUrl, "baseUrl");
        this.timeout = Checks.notNull(timeout, "timeout");
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base.endsWith("/v1") ? base + "/rerank" : base + "/v1/rerank");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * {@code MODEL@URL}, e.g. {@code bge-reranker-v2-m3@http://localhost:8080}.
     *
     * @throws ConfigurationException naming the spec and the expected form
     */
    public static HttpReranker parse(String spec, Duration timeout) {
        String s = spec == null ? "" : spec.strip();
        int at = s.lastIndexOf('@');
        if (at > 0 && at < s.length() - 1) {
            String url = s.substring(at + 1);
            if (url.startsWith("http://") || url.startsWith("https://")) {
                try {
                    return new HttpReranker(s.substring(0, at), URI.create(url), timeout);
                } catch (IllegalArgumentException e) {
                    // the message below says what is expected
                }
            }
        }
        throw new ConfigurationException(
                "Reranker \"" + spec + "\" is not understood. Use MODEL@URL for a server"
                        + " with the /v1/rerank API (llama.cpp, vLLM, Infinity), e.g. bge-reranker-v2-m3@http://localhost:8080.");
    }

    @Override
    public List<Ranked> score(String query, List<String> documents) {
        if (Rerankers.nothingToScore(query, documents)) {
            return List.of();
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("query", query);
        ArrayNode docs = body.putArray("documents");
        documents.forEach(docs::add);
        body.put("top_n", documents.size());
        String what = "reranking " + documents.size() + " passages with " + model;
        HttpResponse<String> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ModelServerErrors.forIo(ModelServerErrors.Dialect.OPENAI, baseUrl, e, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCancelledException("Cancelled " + what + ".");
        }
        if (response.statusCode() / 100 != 2) {
            throw ModelServerErrors.forStatus(
                    ModelServerErrors.Dialect.OPENAI, baseUrl, response.statusCode(), response.body(), model, what);
        }
        return parseResults(response.body(), documents.size());
    }

    private List<Ranked> parseResults(String body, int documents) {
        JsonNode results;
        try {
            results = JSON.readTree(body).path("results");
        } catch (IOException e) {
            throw protocol("an answer that is not JSON: " + abbreviate(body), e);
        }
        if (!results.isArray()) {
            throw protocol("no \"results\" array: " + abbreviate(body), null);
        }
        List<Ranked> out = new ArrayList<>(results.size());
        boolean[] seen = new boolean[documents];
        for (JsonNode r : results) {
            JsonNode index = r.path("index");
            JsonNode score = r.has("relevance_score") ? r.get("relevance_score") : r.path("score");
            if (!index.canConvertToInt() || !score.isNumber()) {
                throw protocol("a result without an integer \"index\" and a numeric \"relevance_score\": " + r, null);
            }
            int i = index.asInt();
            if (i < 0 || i >= documents || seen[i]) {
                throw protocol(
                        "index " + i + " for " + documents + " documents" + (i >= 0 && i < documents ? " twice" : ""),
                        null);
            }
            seen[i] = true;
            out.add(new Ranked(i, score.asDouble()));
        }
        out.sort((a, b) -> Double.compare(b.relevance(), a.relevance()));
        return out;
    }

    private ModelProtocolException protocol(String problem, Throwable cause) {
        return new ModelProtocolException(
                "The reranker at " + endpoint + " answered with " + problem + ". Is it a /v1/rerank server?", cause);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    @Override
    public String describe() {
        return model + "@" + baseUrl;
    }
}
