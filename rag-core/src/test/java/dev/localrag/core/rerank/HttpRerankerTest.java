package dev.localrag.core.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.ModelProtocolException;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.TransientModelException;
import dev.localrag.core.index.SearchHit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpRerankerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    /**
     * A /v1/rerank server in the Cohere/Jina shape whose "model" scores a document by the share of
     * query words it contains, answering the top_n best first; {@code fault} may replace the answer.
     */
    private URI start(Function<JsonNode, String> fault) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/rerank", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            requests.add(body);
            String answer = fault == null ? null : fault.apply(body);
            int status = 200;
            if (answer != null && answer.startsWith("HTTP ")) {
                status = Integer.parseInt(answer.substring(5, 8));
                answer = answer.substring(9);
            }
            if (answer == null) {
                answer = overlapScores(body);
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static String overlapScores(JsonNode body) {
        Set<String> query = words(body.get("query").asText());
        List<double[]> scored = new ArrayList<>();
        for (int i = 0; i < body.get("documents").size(); i++) {
            Set<String> doc = words(body.get("documents").get(i).asText());
            long shared = query.stream().filter(doc::contains).count();
            scored.add(new double[] {i, (double) shared / query.size()});
        }
        scored.sort((a, b) -> Double.compare(b[1], a[1]));
        StringBuilder out = new StringBuilder("{\"model\":\"m\",\"results\":[");
        int n = Math.min(scored.size(), body.get("top_n").asInt());
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",")
                    .append("{\"index\":")
                    .append((int) scored.get(i)[0])
                    .append(",\"relevance_score\":")
                    .append(scored.get(i)[1])
                    .append('}');
        }
        return out.append("]}").toString();
    }

    private static Set<String> words(String text) {
        return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("\\W+")));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static SearchHit hit(String id, String text, double score) {
        return new SearchHit(id, "", 0, text, score);
    }

    @Test
    void reordersHitsByTheServersRelevanceAndKeepsK() throws IOException {
        // given three retrieved chunks, the one that answers the question ranked last by retrieval
        URI url = start(null);
        List<SearchHit> hits = List.of(
                hit("/a.md", "Ollama runs models locally", 0.9),
                hit("/b.md", "Models are stored in the home folder", 0.8),
                hit("/faq.mdx", "Quokkas live on Rottnest Island", 0.7));

        // when reranking for the top 2
        List<SearchHit> reranked =
                new HttpReranker("tiny-overlap", url, Duration.ofSeconds(5)).rerank("where do quokkas live", hits, 2);

        // then the answering chunk comes first with the model's relevance as its score, and the
        // request had the Cohere/Jina shape
        assertThat(reranked).extracting(SearchHit::documentId).containsExactly("/faq.mdx", "/a.md");
        assertThat(reranked.getFirst().score()).isEqualTo(0.5);
        JsonNode sent = requests.getFirst();
        assertThat(sent.get("model").asText()).isEqualTo("tiny-overlap");
        assertThat(sent.get("query").asText()).isEqualTo("where do quokkas live");
        assertThat(sent.get("documents")).hasSize(3);
        assertThat(sent.get("top_n").asInt()).isEqualTo(3);
    }

    @Test
    void documentsTheServerLeavesOutFollowInRetrievalOrder() throws IOException {
        URI url = start(body -> "{\"results\":[{\"index\":2,\"relevance_score\":0.9}]}");
        List<SearchHit> hits = List.of(hit("/a", "a", 3), hit("/b", "b", 2), hit("/c", "c", 1));

        List<SearchHit> reranked = new HttpReranker("m", url, Duration.ofSeconds(5)).rerank("q", hits, 3);

        assertThat(reranked).extracting(SearchHit::documentId).containsExactly("/c", "/a", "/b");
    }

    @Test
    void aBaseUrlEndingInV1IsNotDoubled() throws IOException {
        URI url = start(null);

        new HttpReranker("m", URI.create(url + "/v1/"), Duration.ofSeconds(5)).score("q", List.of("q"));

        assertThat(requests).hasSize(1);
    }

    @Test
    void serverFaultsAreTypedErrorsNamingTheServer() throws IOException {
        URI url = start(body -> switch (body.get("query").asText()) {
            case "busy" -> "HTTP 503 {\"error\":\"loading model\"}";
            case "bad index" -> "{\"results\":[{\"index\":7,\"relevance_score\":1}]}";
            case "twice" -> "{\"results\":[{\"index\":0,\"relevance_score\":1},{\"index\":0,\"relevance_score\":1}]}";
            case "not json" -> "<html>proxy</html>";
            default -> "{\"data\":[]}";
        });
        HttpReranker reranker = new HttpReranker("m", url, Duration.ofSeconds(5));
        List<String> docs = List.of("one", "two");

        assertThatThrownBy(() -> reranker.score("busy", docs))
                .isInstanceOf(TransientModelException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("loading model");
        assertThatThrownBy(() -> reranker.score("bad index", docs))
                .isInstanceOf(ModelProtocolException.class)
                .hasMessageContaining("index 7 for 2 documents");
        assertThatThrownBy(() -> reranker.score("twice", docs))
                .isInstanceOf(ModelProtocolException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> reranker.score("not json", docs))
                .isInstanceOf(ModelProtocolException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> reranker.score("other", docs))
                .isInstanceOf(ModelProtocolException.class)
                .hasMessageContaining("no \"results\" array");
    }

    @Test
    void aServerThatIsNotRunningSaysSo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HttpReranker reranker = new HttpReranker("m", URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(5));

        assertThatThrownBy(() -> reranker.score("q", List.of("d")))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("not running at http://127.0.0.1:" + port);
    }

    @Test
    void specsParseAndBadOnesSayWhatIsExpected() {
        HttpReranker r = HttpReranker.parse("bge-reranker-v2-m3@http://localhost:8080", Duration.ofSeconds(5));
        assertThat(r.describe()).isEqualTo("bge-reranker-v2-m3@http://localhost:8080");
        for (String bad : new String[] {"", "model", "@http://x", "model@", "model@ftp://x"}) {
            assertThatThrownBy(() -> HttpReranker.parse(bad, Duration.ofSeconds(5)))
                    .as(bad)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("MODEL@URL");
        }
    }
}
