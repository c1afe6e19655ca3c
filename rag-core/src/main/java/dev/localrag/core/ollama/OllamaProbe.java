package dev.localrag.core.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Asks an Ollama server, quickly, whether it is there and which models it has. */
public final class OllamaProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final java.util.Map<String, String> headers;

    /** Probes with the configured base URL, probe timeout and extra headers. */
    public OllamaProbe(dev.localrag.core.config.OllamaSettings settings) {
        this(settings.baseUrl(), settings.probeTimeout(), settings.headers());
    }

    private OllamaProbe(URI baseUrl, Duration timeout, java.util.Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.headers = java.util.Map.copyOf(headers);
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Never throws: an unreachable server is a status, not an error. */
    public OllamaStatus check() {
        try {
            JsonNode version = get("/api/version");
            JsonNode tags = get("/api/tags");
            List<String> models = new ArrayList<>();
            for (JsonNode m : tags.path("models")) {
                models.add(m.path("name").asText(m.path("model").asText()));
            }
            return new OllamaStatus(baseUrl, true, version.path("version").asText(""), List.copyOf(models), null);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return OllamaStatus.unreachable(baseUrl, "connection refused or timed out");
        } catch (HttpTimeoutException e) {
            return OllamaStatus.unreachable(baseUrl, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return OllamaStatus.unreachable(baseUrl, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OllamaStatus.unreachable(baseUrl, "interrupted");
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .GET();
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
