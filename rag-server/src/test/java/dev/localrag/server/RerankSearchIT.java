package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.testing.OllamaTestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RerankSearchIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private OllamaTestServer ollama;
    private HttpServer rerankServer;
    private LocalRagServer server;
    private final List<JsonNode> rerankRequests = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (rerankServer != null) {
            rerankServer.stop(0);
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    /** A /v1/rerank server that ranks the documents in reverse of the order it got them. */
    private String startReverseReranker() throws IOException {
        rerankServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        rerankServer.createContext("/v1/rerank", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            rerankRequests.add(body);
            StringBuilder out = new StringBuilder("{\"results\":[");
            int n = body.get("documents").size();
            for (int i = n - 1; i >= 0; i--) {
                out.append(i == n - 1 ? "" : ",")
                        .append("{\"index\":")
                        .append(i)
                        .append(",\"relevance_score\":")
                        .append(n - i)
                        .append('}');
            }
            byte[] bytes = out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        rerankServer.start();
        return "tiny-reverse@http://127.0.0.1:" + rerankServer.getAddress().getPort();
    }

    private Http startServer(String reranker) throws IOException {
        ollama = new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM);
        RagConfig docs = TestCorpus.config(tmp.resolve("index"), ollama.baseUrl());
        TestCorpus.ingest(docs, TestCorpus.writeDocs(tmp.resolve("docs")));
        server = LocalRagServer.create(
                        ServerConfig.builder()
                                .port(0)
                                .collection("docs", docs)
                                .reranker(reranker)
                                .build(),
                        notice -> {})
                .start();
        return new Http(server.baseUrl());
    }

    @Test
    void aSearchAsksTheServersRerankerWhenTheRequestSaysSo() throws IOException {
        // given a server with a reranker that reverses whatever retrieval found
        Http http = startServer(startReverseReranker());

        // when searching with and without "rerank"
        Http.Response plain = http.post("/v1/search", "{\"query\": \"port 11434\", \"k\": 2}");
        Http.Response reranked = http.post("/v1/search", "{\"query\": \"port 11434\", \"k\": 2, \"rerank\": true}");

        // then only the reranked search went to the reranker, with the retrieved candidates, and its
        // order and relevance scores came back
        assertThat(plain.status()).as(plain.toString()).isEqualTo(200);
        assertThat(reranked.status()).as(reranked.toString()).isEqualTo(200);
        assertThat(rerankRequests).hasSize(1);
        JsonNode sent = rerankRequests.getFirst();
        assertThat(sent.get("query").asText()).isEqualTo("port 11434");
        int candidates = sent.get("documents").size();
        assertThat(candidates).isGreaterThan(2);
        JsonNode hits = reranked.json().path("hits");
        assertThat(hits).hasSize(2);
        assertThat(hits.get(0).path("score").asDouble()).isEqualTo(candidates);
        assertThat(hits.get(1).path("score").asDouble()).isEqualTo(candidates - 1);
    }

    @Test
    void rerankOnAServerWithoutARerankerIsAClearError() throws IOException {
        Http http = startServer(null);

        LocalRagServerIT.assertError(
                http.post("/v1/search", "{\"query\": \"port\", \"rerank\": true}"), 400, "no_reranker", "--rerank");
    }
}
