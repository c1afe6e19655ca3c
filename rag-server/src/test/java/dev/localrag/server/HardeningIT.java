package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.testing.OllamaTestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input from outside, as an attacker or a careless client sends it, to a running server on
 * 127.0.0.1: every answer is a 4xx with {@code {"error":{"code","message"}}} (never a 5xx, Jetty's
 * HTML or a stack trace), and the index is unchanged afterwards. Bounded: a fixed seed, a few
 * hundred requests.
 */
class HardeningIT {

    static final String KEY = "hardening-key-0123456789";
    static final long SEED = 18L;

    @TempDir
    static Path tmp;

    static OllamaTestServer ollama;
    static LocalRagServer server;
    static Http http;
    static Http anonymous;
    static Path index;
    static Set<String> indexFilesBefore;

    @BeforeAll
    static void start() throws Exception {
        ollama = new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM);
        index = tmp.resolve("index");
        TestCorpus.ingest(TestCorpus.config(index, ollama.baseUrl()), TestCorpus.writeDocs(tmp.resolve("docs")));
        RagConfig rag = TestCorpus.config(index, ollama.baseUrl());
        server = LocalRagServer.create(
                        ServerConfig.builder()
                                .host("127.0.0.1")
                                .port(0)
                                .collection("docs", rag)
                                .apiKeys(Set.of(KEY))
                                .ingestRoots(List.of(tmp.resolve("docs")))
                                .shutdownGrace(Duration.ofSeconds(5))
                                .build(),
                        n -> {})
                .start();
        http = new Http(server.baseUrl(), KEY);
        anonymous = new Http(server.baseUrl());
        indexFilesBefore = indexFiles();
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            // nothing any test sent may have changed the index or written an audit line
            assertThat(indexFiles()).isEqualTo(indexFilesBefore);
            assertThat(http.get("/v1/documents").json().path("total").asInt()).isEqualTo(3);
            assertThat(Files.exists(tmp.resolve("index-audit.jsonl"))).isFalse();
        } finally {
            server.close();
            ollama.close();
        }
    }

    static Set<String> indexFiles() throws IOException {
        try (Stream<Path> files = Files.list(index)) {
            return new TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** A 4xx whose body is the JSON error shape, naming {@code messagePart}. */
    static JsonNode assertClientError(int status, String contentType, String body, String what) {
        assertThat(status).as(what + " -> " + status + " " + body).isBetween(400, 499);
        assertThat(contentType).as(what + " content type").startsWith("application/json");
        assertThat(body)
                .as(what)
                .doesNotContain("<html")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        JsonNode error;
        try {
            error = Http.JSON.readTree(body).path("error");
        } catch (IOException e) {
            throw new AssertionError(what + ": not JSON: " + body, e);
        }
        assertThat(error.path("code").asText()).as(what + " " + body).isNotBlank();
        assertThat(error.path("message").asText()).as(what + " " + body).isNotBlank();
        return error;
    }

    static JsonNode assertClientError(Http.Response r, String what) {
        return assertClientError(r.status(), r.header("Content-Type"), r.body(), what);
    }

    /** Sends raw bytes on a fresh connection and returns {status, content type, body}. */
    static String[] raw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            assertThat(headEnd).as("a complete HTTP response: " + response).isPositive();
            String head = response.substring(0, headEnd);
            String status = head.split(" ", 3)[1];
            String type = head.lines()
                    .filter(l -> l.regionMatches(true, 0, "Content-Type:", 0, 13))
                    .map(l -> l.substring(13).strip())
                    .findFirst()
                    .orElse("");
            String body = response.substring(headEnd + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new String[] {status, type, body};
        }
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int eol = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, eol).strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void malformedRequestsBeforeTheApplicationGetJsonErrors() throws IOException {
        String auth = "Authorization: Bearer " + KEY + "\r\n";
        List<String[]> cases = List.of(
                new String[] {"garbage request line", "GARBAGE\r\n\r\n"},
                new String[] {"no HTTP version", "GET /healthz\r\n\r\n"},
                new String[] {
                    "bad Content-Length",
                    "POST /v1/search HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: abc\r\n\r\n{}"
                },
                new String[] {
                    "two Content-Lengths",
                    "POST /v1/search HTTP/1.1\r\nHost: x\r\n" + auth
                            + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"
                },
                new String[] {
                    "oversized header",
                    "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n"
                },
                new String[] {"oversized URI", "GET /" + "a".repeat(64 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n"},
                new String[] {"NUL in the path", "GET /v1/documents/%00 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"},
                new String[] {"bad percent-encoding", "GET /v1/%zz HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"},
                new String[] {"encoded slash", "GET /v1/documents/a%2F..%2Fb HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"},
                new String[] {"no Host", "GET /v1/documents HTTP/1.1\r\n" + auth + "\r\n"});
        for (String[] c : cases) {
            String[] r = raw(ascii(c[1]));
            assertClientError(Integer.parseInt(r[0]), r[1], r[2], c[0]);
        }
    }

    @Test
    void badJsonBodiesAreRefusedNamingTheProblem() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String[][] cases = {
            {"/v1/search", "{\"query\": ", "not valid JSON"},
            {"/v1/search", "{\"query\":\"port\"} {\"k\":1}", "not valid JSON"},
            {"/v1/search", "{\"query\":" + deep + "}", "nested too deeply"},
            {"/v1/query", deep, "nested too deeply"},
            {"/v1/search", "[1,2]", "must be a JSON object"},
            {"/v1/search", "{\"query\":\"port\",\"k\":\"ten\"}", "\"k\""},
            {"/v1/search", "{\"query\":\"port\",\"k\":0}", "\"k\""},
            {"/v1/search", "{\"query\":\"port\",\"k\":1001}", "1 to 1000"},
            {"/v1/query", "{\"question\":5}", "\"question\""},
            {"/v1/query", "{\"question\":\"q\",\"history\":\"x\"}", "\"history\""},
            {"/v1/query", "{\"question\":\"q\",\"qestion\":\"x\"}", "Unknown field \"qestion\""},
            {"/v1/query", "{\"question\":\"q\",\"question\":\"r\"}", "Duplicate field"},
            {"/v1/chat/completions", "{\"messages\":7}", "messages"},
            {"/v1/ingest", "{\"path\":7}", "\"path\""},
            {"/v1/ingest", "", "empty"},
        };
        for (String[] c : cases) {
            Http.Response r = http.post(c[0], c[1]);
            JsonNode error = assertClientError(r, c[0] + " " + c[1].substring(0, Math.min(60, c[1].length())));
            assertThat(error.path("message").asText()).as(r.toString()).contains(c[2]);
        }
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] body = {'{', '"', 'q', 'u', 'e', 'r', 'y', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        Http.Response r = http.send(http.request("/v1/search")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
        assertThat(assertClientError(r, "invalid UTF-8").path("message").asText())
                .contains("UTF-8");
    }

    @Test
    void fuzzedBodiesNeverGiveAServerError() {
        Random random = new Random(SEED);
        String[][] seeds = {
            {"/v1/search", "{\"query\":\"ollama port\",\"k\":3,\"mode\":\"hybrid\",\"filter\":{\"pathPrefix\":\"/\"}}"},
            {"/v1/query", "{\"question\":\"which port?\",\"k\":2,\"history\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            },
            {"/v1/chat/completions", "{\"model\":\"docs\",\"messages\":[{\"role\":\"user\",\"content\":\"port?\"}]}"},
        };
        int requests = 0;
        for (int i = 0; i < 150; i++) {
            String[] seed = seeds[i % seeds.length];
            byte[] body = i % 10 == 9 ? randomBytes(random) : mutate(seed[1].getBytes(StandardCharsets.UTF_8), random);
            Http.Response r = http.send(http.request(seed[0])
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build());
            requests++;
            String what = seed[0] + " " + new String(body, StandardCharsets.UTF_8);
            assertThat(r.status()).as(what + " -> " + r).isLessThan(500);
            if (r.status() >= 400) {
                assertClientError(r, what);
            }
        }
        assertThat(requests).isEqualTo(150);
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[1 + random.nextInt(200)];
        random.nextBytes(b);
        return b;
    }

    /** A few random edits: flip, insert or delete a byte, or splice in a JSON token. */
    private static byte[] mutate(byte[] body, Random random) {
        String[] tokens = {"{", "}", "[", "]", "\"", ":", ",", "null", "-1", "1e999", "\\u0000", "true", "\"k\":"};
        List<Byte> bytes = new ArrayList<>();
        for (byte b : body) {
            bytes.add(b);
        }
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && !bytes.isEmpty(); e++) {
            int at = random.nextInt(bytes.size());
            switch (random.nextInt(4)) {
                case 0 -> bytes.set(at, (byte) random.nextInt(256));
                case 1 -> bytes.add(at, (byte) random.nextInt(128));
                case 2 -> bytes.remove(at);
                default -> {
                    byte[] token = tokens[random.nextInt(tokens.length)].getBytes(StandardCharsets.UTF_8);
                    for (int t = token.length - 1; t >= 0; t--) {
                        bytes.add(at, token[t]);
                    }
                }
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    @Test
    void everyRouteRefusesAMissingOrWrongKeyAndEmptyInput() {
        String[][] routes = {
            {"GET", "/v1/documents"},
            {"GET", "/v1/documents/eA"},
            {"DELETE", "/v1/documents/eA"},
            {"POST", "/v1/documents"},
            {"POST", "/v1/ingest"},
            {"GET", "/v1/jobs/nope"},
            {"POST", "/v1/query"},
            {"POST", "/v1/query/stream"},
            {"POST", "/v1/search"},
            {"POST", "/v1/chat/completions"},
            {"GET", "/v1/models"},
            {"GET", "/metrics"},
            {"GET", "/openapi.json"},
            {"GET", "/v1/nowhere"},
        };
        for (String[] route : routes) {
            for (Http client : List.of(anonymous, anonymous.withKey("wrong-key"))) {
                Http.Response r = client.send(client.request(route[1])
                        .method(route[0], HttpRequest.BodyPublishers.ofString("{}"))
                        .header("Content-Type", "application/json")
                        .build());
                JsonNode error = assertClientError(r, route[0] + " " + route[1] + " without a valid key");
                assertThat(r.status()).as(r.toString()).isEqualTo(401);
                assertThat(error.path("code").asText()).isEqualTo("unauthorized");
            }
            Http.Response r = http.send(http.request(route[1])
                    .method(route[0], HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json")
                    .build());
            assertThat(r.status()).as(route[0] + " " + route[1] + " -> " + r).isLessThan(500);
            if (r.status() >= 400) {
                assertClientError(r, route[0] + " " + route[1] + " with {}");
            }
        }
    }

    @Test
    void longTextUpToTheBodyLimitIsAnswered() {
        StringBuilder words = new StringBuilder();
        Random random = new Random(SEED);
        for (int i = 0; i < 3000; i++) {
            words.append("word").append(random.nextInt(5000)).append(' ');
        }
        String text = words.toString().strip();
        assertThat(http.post("/v1/search", "{\"query\":\"" + text + "\"}").status())
                .isEqualTo(200);
        assertThat(http.post("/v1/query", "{\"question\":\"" + text + "\"}").status())
                .isEqualTo(200);
        assertThat(http.post(
                                "/v1/chat/completions",
                                "{\"model\":\"docs\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void anUploadWithAVeryLongNameIsRefused() {
        String boundary = "----hardening";
        String name = "n".repeat(300) + ".md";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: text/markdown\r\n\r\n# Hi\r\n--" + boundary + "--\r\n";
        Http.Response r = http.send(http.request("/v1/documents")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart))
                .build());
        assertThat(assertClientError(r, "300-byte file name").path("message").asText())
                .contains("too long");
    }
}
