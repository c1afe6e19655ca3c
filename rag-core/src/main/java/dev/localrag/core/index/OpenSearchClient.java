package dev.localrag.core.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.LocalRagException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * JSON over HTTP to an OpenSearch cluster, nothing else: requests go to the listed nodes in turn;
 * a node that cannot be reached, or a cluster that answers "busy" or "unavailable" (429, 502, 503,
 * 504), is retried on the next node with a growing pause until the settings' timeout has passed.
 * Requests are idempotent (documents are written by id), so a retry never writes twice.
 */
final class OpenSearchClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: HTTP status and its JSON body (an empty object when there was none). */
    record Response(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final OpenSearchLocation location;
    private final OpenSearchSettings settings;
    private final HttpClient http;
    private final String authorization;
    private final AtomicInteger next = new AtomicInteger();

    OpenSearchClient(OpenSearchLocation location, OpenSearchSettings settings) {
        this.location = location;
        this.settings = settings;
        HttpClient.Builder b =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1);
        if (location.https() && settings.caFile() != null) {
            b.sslContext(trusting(settings));
        }
        this.http = b.build();
        if (settings.apiKey() != null) {
            authorization = "ApiKey " + settings.apiKey();
        } else if (settings.username() != null) {
            authorization = "Basic "
                    + Base64.getEncoder()
                            .encodeToString(
                                    (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
        } else {
            authorization = null;
        }
    }

    private static SSLContext trusting(OpenSearchSettings settings) {
        try (InputStream in = Files.newInputStream(settings.caFile())) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new ConfigurationException("index.opensearch.caFile " + settings.caFile()
                        + " holds no certificate: give the PEM file of the CA that signed the cluster's certificates");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(
                    "Cannot read index.opensearch.caFile " + settings.caFile() + ": " + e.getMessage(), e);
        }
    }

    /** Sends a request and returns the answer whatever its status (after retries of transient failures). */
    Response send(String method, String path, Object body) {
        byte[] bytes;
        try {
            bytes = body == null
                    ? null
                    : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a request body as JSON", e);
        }
        List<URI> nodes = location.nodes();
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        long pauseMillis = 50;
        Exception last = null;
        int attempts = 0;
        while (true) {
            URI node = nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
            attempts++;
            try {
                HttpRequest.Builder r = HttpRequest.newBuilder(node.resolve(path))
                        .timeout(settings.timeout())
                        .header("Accept", "application/json");
                if (authorization != null) {
                    r.header("Authorization", authorization);
                }
                if (bytes != null) {
                    r.header("Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json");
                    r.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
                } else {
                    r.method(method, HttpRequest.BodyPublishers.noBody());
                }
                HttpResponse<byte[]> response = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                JsonNode json = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
                if (status == 401 || status == 403) {
                    throw new ConfigurationException("OpenSearch at " + node + " refused " + method + " " + path + " ("
                            + status + "): " + reason(json)
                            + ". Check index.opensearch.username/password or index.opensearch.apiKey"
                            + " (LOCALRAG_OPENSEARCH_USERNAME/PASSWORD/API_KEY).");
                }
                if (!transientStatus(status, json)) {
                    return new Response(status, json);
                }
                last = new LocalRagException("OpenSearch " + node + " answered " + status + " to " + method + " " + path
                        + ": " + reason(json));
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalRagException("Interrupted while talking to OpenSearch " + location, e);
            }
            if (System.nanoTime() > deadline) {
                throw new LocalRagException(
                        "OpenSearch " + location + " did not answer " + method + " " + path + " within "
                                + settings.timeout().toSeconds() + " s (" + attempts + " attempts on "
                                + nodes.size() + " node(s)); last: " + last,
                        last);
            }
            if (attempts % nodes.size() == 0) { // every node tried: wait before the next round
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LocalRagException("Interrupted while talking to OpenSearch " + location, e);
                }
                pauseMillis = Math.min(2000, pauseMillis * 2);
            }
        }
    }

    /** Sends a request that must succeed; returns its JSON body. */
    JsonNode call(String method, String path, Object body) {
        Response r = send(method, path, body);
        if (!r.ok()) {
            throw failure(method, path, r);
        }
        return r.body();
    }

    LocalRagException failure(String method, String path, Response r) {
        return new LocalRagException("OpenSearch " + location + " failed " + method + " " + path + " (" + r.status()
                + "): " + reason(r.body()));
    }

    /** Busy, a node going away, or a search whose shards are moving: worth another try. */
    private static boolean transientStatus(int status, JsonNode body) {
        if (status == 429 || status == 502 || status == 503 || status == 504) {
            return true;
        }
        if (status == 500) {
            String type = body.path("error").path("type").asText("");
            return type.contains("no_shard_available")
                    || type.contains("node_disconnected")
                    || type.contains("node_closed")
                    || type.contains("search_phase_execution");
        }
        return false;
    }

    static String reason(JsonNode body) {
        JsonNode error = body.path("error");
        if (error.isMissingNode()) {
            return body.toString();
        }
        if (error.isTextual()) {
            return error.asText();
        }
        JsonNode root = error.path("root_cause").path(0);
        String reason =
                error.path("type").asText("") + ": " + error.path("reason").asText("");
        if (!root.isMissingNode()
                && !root.path("reason").asText("").equals(error.path("reason").asText(""))) {
            reason += " (" + root.path("type").asText("") + ": "
                    + root.path("reason").asText("") + ")";
        }
        return reason;
    }

    ObjectNode object() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() {
        http.close();
    }
}
