package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.config.IngestSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.testing.OllamaTestServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /mcp} over Streamable HTTP with the MCP SDK's own client: the server on port 0 behind an
 * API key, three collections, the project's Ollama test server for embeddings and answers.
 */
class McpHttpIT {

    private static final String KEY = "mcp-test-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More documents than one page of resources/list. */
    private static final int MANY = McpService.RESOURCE_PAGE + 5;

    @TempDir
    static Path tmp;

    static OllamaTestServer ollama;
    static LocalRagServer server;
    static McpSyncClient client;
    static Path allowed;
    static Path outside;

    @BeforeAll
    static void start() throws IOException {
        ollama = new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM);
        RagConfig docs = config("index-docs");
        TestCorpus.ingest(docs, TestCorpus.writeDocs(tmp.resolve("docs")));
        RagConfig many = config("index-many");
        Path manyDocs = Files.createDirectories(tmp.resolve("many"));
        for (int i = 0; i < MANY; i++) {
            Files.writeString(manyDocs.resolve("note-%03d.md".formatted(i)), "# Note " + i + "\n\nNote number " + i);
        }
        TestCorpus.ingest(many, manyDocs);
        RagConfig offline = config("index-offline");
        TestCorpus.ingest(offline, tmp.resolve("docs"));
        allowed = TestCorpus.writeAllowed(tmp);
        outside = TestCorpus.writeOutside(tmp);
        server = LocalRagServer.create(
                        ServerConfig.builder()
                                .port(0)
                                .apiKeys(Set.of(KEY))
                                .collection("docs", docs)
                                .collection("scratch", config("index-scratch"))
                                .collection("many", many)
                                .collection( // built with Ollama, served while it is down
                                        "offline",
                                        offline.withOllama(
                                                offline.ollama().withBaseUrl(URI.create("http://127.0.0.1:9"))))
                                .ingestRoots(List.of(allowed))
                                .build(),
                        notice -> {})
                .start();
        client = client(KEY);
        client.initialize();
    }

    /** Parsing in-process keeps the test quick: no parser processes to start. */
    static RagConfig config(String index) {
        return TestCorpus.config(tmp.resolve(index), ollama.baseUrl())
                .withIngest(IngestSettings.DEFAULT.withIsolate(false));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.closeGracefully();
        }
        if (server != null) {
            server.close();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    static McpSyncClient client(String key) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        server.baseUrl().toString())
                .endpoint(LocalRagServer.MCP_PATH)
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
    }

    static CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    /** The structured result, checked to be what the text content says too. */
    static JsonNode result(CallToolResult result) throws IOException {
        assertThat(result.isError()).as(text(result)).isFalse();
        JsonNode structured = JSON.valueToTree(result.structuredContent());
        assertThat(JSON.readTree(text(result))).isEqualTo(structured);
        return structured;
    }

    static String text(CallToolResult result) {
        return ((TextContent) result.content().getFirst()).text();
    }

    @Test
    void initializeNamesTheServerAndItsCapabilities() {
        assertThat(client.getServerInfo().name()).isEqualTo("localrag");
        assertThat(client.getServerCapabilities().tools()).isNotNull();
        assertThat(client.getServerCapabilities().resources()).isNotNull();
        assertThat(client.getServerInstructions()).contains("search");
    }

    @Test
    void listsTheToolsWithTheirSchemas() {
        List<McpSchema.Tool> tools = client.listTools().tools();

        assertThat(tools)
                .extracting(McpSchema.Tool::name)
                .containsExactly("search", "ask", "list_documents", "get_passage", "ingest_path");
        McpSchema.Tool search = tools.getFirst();
        assertThat(search.inputSchema()).containsEntry("required", List.of("query"));
        assertThat(search.inputSchema().get("properties").toString())
                .contains("collection")
                .contains("[docs, scratch, many, offline]");
        assertThat(search.annotations().readOnlyHint()).isTrue();
        assertThat(tools.getLast().annotations().readOnlyHint()).isFalse();
    }

    @Test
    void searchReturnsRankedPassagesWithStableCitationIds() throws IOException {
        JsonNode hits = result(call("search", Map.of("query", "Which port does Ollama listen on?", "k", 2)))
                .path("hits");

        assertThat(hits).hasSize(2);
        JsonNode first = hits.get(0);
        assertThat(first.path("rank").asInt()).isEqualTo(1);
        assertThat(first.path("path").asText()).endsWith("port.md");
        assertThat(first.path("text").asText()).contains("11434");
        assertThat(first.path("citation").asText())
                .isEqualTo(CitationId.of(
                                first.path("path").asText(), first.path("chunk").asInt())
                        .toString());
        assertThat(first.path("uri").asText()).startsWith("localrag://docs/");
        assertThat(first.path("score").asDouble())
                .isGreaterThanOrEqualTo(hits.get(1).path("score").asDouble());
    }

    @Test
    void searchFiltersOnMetadataLikeTheCli() throws IOException {
        String gpu = tmp.resolve("docs/gpu.md").toRealPath().toString();

        JsonNode hits = result(call("search", Map.of("query", "port", "filter", Map.of("path", List.of(gpu)))))
                .path("hits");

        assertThat(hits).isNotEmpty();
        hits.forEach(h -> assertThat(h.path("path").asText()).isEqualTo(gpu));
    }

    @Test
    void getPassageFetchesTheCitedPassageWithItsNeighbours() throws IOException {
        JsonNode hit = result(call("search", Map.of("query", "Pull a model", "k", 1)))
                .path("hits")
                .get(0);

        JsonNode passage = result(
                call("get_passage", Map.of("citation", hit.path("citation").asText())));

        assertThat(passage.path("text").asText()).isEqualTo(hit.path("text").asText());
        assertThat(passage.path("path").asText()).isEqualTo(hit.path("path").asText());
        assertThat(passage.path("before").isArray()).isTrue();
        assertThat(passage.path("after").isArray()).isTrue();
        int chunks = 1 + passage.path("before").size() + passage.path("after").size();
        assertThat(chunks).isBetween(1, 3);
    }

    @Test
    void askAnswersWithCitationsFromTheChatModel() throws IOException {
        JsonNode answer = result(call("ask", Map.of("question", "Which port does Ollama listen on?")));

        assertThat(answer.path("kind").asText()).isEqualTo("generated");
        assertThat(answer.path("model").asText()).isEqualTo(TestCorpus.CHAT_MODEL);
        assertThat(answer.path("citations")).isNotEmpty();
        JsonNode citation = answer.path("citations").get(0);
        assertThat(citation.path("citation").asText())
                .endsWith("#" + citation.path("chunk").asInt());
        assertThat(answer.path("sources").get(0).path("citation").asText()).contains("#");
        assertThat(answer.path("collection").asText()).isEqualTo("docs");
    }

    @Test
    void listDocumentsPagesThroughACollection() throws IOException {
        JsonNode first = result(call("list_documents", Map.of("collection", "many", "limit", 2)));
        JsonNode second = result(call("list_documents", Map.of("collection", "many", "limit", 2, "offset", 2)));

        assertThat(first.path("total").asInt()).isEqualTo(MANY);
        assertThat(first.path("documents")).hasSize(2);
        assertThat(first.path("documents").get(0).path("path").asText()).endsWith("note-000.md");
        assertThat(second.path("documents").get(0).path("path").asText()).endsWith("note-002.md");
        assertThat(first.path("documents").get(0).path("uri").asText()).startsWith("localrag://many/");
    }

    @Test
    void resourcesListEveryDocumentAPageAtATimeAndReadAsText() {
        McpSchema.ListResourcesResult page = client.listResources(null);
        List<McpSchema.Resource> all = new ArrayList<>(page.resources());
        while (page.nextCursor() != null) {
            page = client.listResources(page.nextCursor());
            all.addAll(page.resources());
        }

        assertThat(client.listResources(null).resources()).hasSize(McpService.RESOURCE_PAGE);
        int documents = 0;
        for (String name : List.of("docs", "scratch", "many", "offline")) {
            documents += server.collection(name).index().documents().size(); // scratch grows with ingest_path
        }
        assertThat(all).hasSize(documents);
        assertThat(all).extracting(McpSchema.Resource::uri).doesNotHaveDuplicates();
        McpSchema.Resource port = all.stream()
                .filter(r -> r.description().contains("/port.md"))
                .findFirst()
                .orElseThrow();
        assertThat(port.uri()).startsWith("localrag://docs/");

        McpSchema.ReadResourceResult read = client.readResource(port);

        McpSchema.TextResourceContents text =
                (McpSchema.TextResourceContents) read.contents().getFirst();
        assertThat(text.text()).contains("Ollama listens on port 11434");
        assertThat(text.mimeType()).isEqualTo("text/plain");
        assertThat(client.listResourceTemplates().resourceTemplates())
                .extracting(McpSchema.ResourceTemplate::uriTemplate)
                .containsExactly("localrag://{collection}/{documentId}");
    }

    @Test
    void readingAnUnknownResourceIsAProtocolErrorNamingIt() {
        assertThatThrownBy(() -> client.readResource(new McpSchema.ReadResourceRequest("localrag://docs/bm9wZQ")))
                .isInstanceOf(McpError.class)
                .hasMessageContaining("localrag://docs/bm9wZQ")
                .hasMessageContaining("no document");
    }

    @Test
    void badArgumentsAreToolErrorsThatSayWhatIsWrong() {
        CallToolResult missing = call("search", Map.of("k", 3));
        CallToolResult unknown = call("search", Map.of("query", "port", "limit", 3));
        CallToolResult badMode = call("search", Map.of("query", "port", "mode", "fuzzy"));
        CallToolResult badCitation = call("get_passage", Map.of("citation", "not-a-citation"));
        CallToolResult badCollection = call("search", Map.of("query", "port", "collection", "nope"));

        assertThat(missing.isError()).isTrue();
        assertThat(text(missing)).contains("Field \"query\" is required");
        assertThat(text(unknown)).contains("Unknown field \"limit\"");
        assertThat(text(badMode)).contains("hybrid, vector or keyword");
        assertThat(text(badCitation)).contains("BASE64URL#CHUNK");
        assertThat(text(badCollection)).contains("No collection named \"nope\"").contains("docs");
    }

    @Test
    void withOllamaDownSearchIsAToolErrorAndAskAnswersWithThePassages() throws IOException {
        CallToolResult search = call("search", Map.of("query", "port", "collection", "offline"));
        CallToolResult keyword = call("search", Map.of("query", "port", "collection", "offline", "mode", "keyword"));
        JsonNode answer = result(call(
                "ask",
                Map.of("question", "Which port does Ollama listen on?", "collection", "offline", "mode", "keyword")));

        assertThat(search.isError()).isTrue();
        assertThat(text(search)).contains("127.0.0.1:9");
        assertThat(keyword.isError()).isFalse();
        assertThat(answer.path("kind").asText()).isEqualTo("extractive");
        assertThat(answer.path("notice").asText()).isNotEmpty();
        assertThat(answer.path("answer").asText()).contains("11434");
        assertThat(answer.path("citations").get(0).path("citation").asText()).contains("#");
    }

    @Test
    void ingestPathIndexesUnderTheAllowedRootsAndRefusesOthers() throws IOException {
        CallToolResult refused = call("ingest_path", Map.of("path", outside.toString(), "collection", "scratch"));

        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).contains("outside the allowed ingest roots");

        JsonNode job = result(call("ingest_path", Map.of("path", allowed.toString(), "collection", "scratch")));

        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("result").path("filesIndexed").asInt()).isEqualTo(1);
        JsonNode hits = result(
                        call("search", Map.of("query", "vacation policy", "collection", "scratch", "mode", "keyword")))
                .path("hits");
        assertThat(hits.get(0).path("path").asText()).endsWith("team/vacation.md");
    }

    @Test
    void theApiKeyIsRequiredAndBrowserOriginsAreRefused() throws Exception {
        HttpResponse<String> anonymous = ping(Map.of());
        HttpResponse<String> fromAWebPage =
                ping(Map.of("Authorization", "Bearer " + KEY, "Origin", "http://attacker.example"));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"localrag\"");
        assertThat(JSON.readTree(anonymous.body()).path("error").path("message").asText())
                .contains("Authorization: Bearer");
        assertThat(fromAWebPage.statusCode())
                .as("a browser origin not allowed by --cors-origin")
                .isEqualTo(403);
        try (McpSyncClient wrongKey = client("wrong-key-0123456789abcdef")) {
            assertThatThrownBy(wrongKey::initialize).isInstanceOf(RuntimeException.class);
        }
    }

    /** A JSON-RPC ping POSTed to /mcp by hand, with {@code headers}. */
    private static HttpResponse<String> ping(Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + LocalRagServer.MCP_PATH))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
