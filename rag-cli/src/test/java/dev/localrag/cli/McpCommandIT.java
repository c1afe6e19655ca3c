package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.testing.OllamaTestServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rag mcp} as a desktop client runs it: a child process spoken to over stdin/stdout by the
 * MCP SDK's own client. Four files of the sample corpus, embedded and answered by the project's
 * Ollama test server.
 */
class McpCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CORPUS =
            Path.of("..").toAbsolutePath().normalize().resolve("datasets/corpora/ollama-docs");
    private static final String EMBED_MODEL = OllamaSettings.DEFAULT_EMBEDDING_MODEL;

    @TempDir
    static Path home;

    static OllamaTestServer ollama;
    static Path index;
    static Path allowed;
    static McpSyncClient client;
    static final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void ingestAndStart() throws IOException {
        ollama = new OllamaTestServer(Set.of(OllamaSettings.DEFAULT_CHAT_MODEL, EMBED_MODEL), 64);
        Path docs = Files.createDirectories(home.resolve("docs"));
        for (String file : List.of("faq.mdx", "gpu.mdx", "import.mdx", "context-length.mdx")) {
            Files.copy(CORPUS.resolve(file), docs.resolve(file));
        }
        index = home.resolve("index");
        CliRun ingest = CliRun.run(
                home,
                home,
                env(),
                "ingest",
                docs.toString(),
                "--index",
                index.toString(),
                "--embedder",
                "ollama:" + EMBED_MODEL,
                "--no-isolate");
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        allowed = Files.createDirectories(home.resolve("allowed"));
        client = start("--index", index.toString(), "--allow-root", allowed.toString());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.closeGracefully();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    static Map<String, String> env() {
        return Map.of("OLLAMA_HOST", ollama.baseUrl().toString());
    }

    /** The command line of {@code rag ARGS} in a new JVM on the test's classpath. */
    static List<String> rag(String... args) {
        return ChildJvm.rag(home, args);
    }

    static McpSyncClient start(String... args) {
        List<String> command = rag(prepend("mcp", args));
        StdioClientTransport transport = new StdioClientTransport(
                ServerParameters.builder(command.getFirst())
                        .args(command.subList(1, command.size()))
                        .env(env())
                        .build(),
                new JacksonMcpJsonMapper(new ObjectMapper()));
        transport.setStdErrorHandler(stderr::add);
        McpSyncClient started = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60))
                .build();
        started.initialize();
        return started;
    }

    private static String[] prepend(String first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    static CallToolResult call(McpSyncClient c, String tool, Map<String, Object> arguments) {
        return c.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    static String text(CallToolResult result) {
        return ((TextContent) result.content().getFirst()).text();
    }

    static JsonNode result(CallToolResult result) throws IOException {
        assertThat(result.isError()).as(text(result) + "\n" + stderr).isFalse();
        return JSON.readTree(text(result));
    }

    @Test
    void helpNamesTheFlagsAndTheTools() {
        CliRun help = CliRun.run(home, home, env(), "mcp", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("Usage: rag mcp")
                .contains("--index")
                .contains("--collection")
                .contains("--allow-root")
                .contains("search, ask, list_documents, get_passage");
    }

    @Test
    void listsTheToolsAndTheDocuments() {
        assertThat(client.listTools().tools())
                .extracting(McpSchema.Tool::name)
                .containsExactly("search", "ask", "list_documents", "get_passage", "ingest_path");
        assertThat(client.listResources().resources())
                .hasSize(4)
                .allSatisfy(r -> assertThat(r.uri()).startsWith("localrag://default/"));
    }

    @Test
    void searchFindsWhatRagSearchFinds() throws IOException {
        String query = "How do I change the port Ollama listens on?";
        CliRun cli = CliRun.run(home, home, env(), "search", query, "--index", index.toString(), "--json");
        assertThat(cli.exitCode()).as(cli.toString()).isZero();

        JsonNode hits = result(call(client, "search", Map.of("query", query))).path("hits");

        JsonNode expected = JSON.readTree(cli.out()).path("hits");
        assertThat(hits).hasSameSizeAs(expected);
        for (int i = 0; i < hits.size(); i++) {
            assertThat(hits.get(i).path("path").asText())
                    .isEqualTo(expected.get(i).path("path").asText());
            assertThat(hits.get(i).path("chunk").asInt())
                    .isEqualTo(expected.get(i).path("chunk").asInt());
            // the child JVM runs Lucene's vector code unoptimised (C1 only): the last float bits may differ
            assertThat(hits.get(i).path("score").asDouble())
                    .isCloseTo(expected.get(i).path("score").asDouble(), within(1e-4));
        }
        assertThat(hits.get(0).path("path").asText()).endsWith("faq.mdx");
        assertThat(hits.get(0).path("section").asText()).isNotEmpty();
    }

    @Test
    void askAnswersWithCitationsThatGetPassageOpens() throws IOException {
        JsonNode answer = result(call(client, "ask", Map.of("question", "How can I import a GGUF model?")));

        assertThat(answer.path("kind").asText()).isEqualTo("generated");
        assertThat(answer.path("citations")).isNotEmpty();
        JsonNode cited = answer.path("citations").get(0);

        JsonNode passage = result(call(
                client, "get_passage", Map.of("citation", cited.path("citation").asText(), "context", 1)));

        assertThat(passage.path("path").asText()).isEqualTo(cited.path("path").asText());
        assertThat(passage.path("chunk").asInt()).isEqualTo(cited.path("chunk").asInt());
        assertThat(passage.path("citation").asText())
                .isEqualTo(cited.path("citation").asText());
        assertThat(passage.path("text").asText()).contains("GGUF");
    }

    @Test
    void aResourceReadsAsTheDocumentsText() {
        McpSchema.Resource gpu = client.listResources().resources().stream()
                .filter(r -> r.description().endsWith("gpu.mdx"))
                .findFirst()
                .orElseThrow();

        McpSchema.TextResourceContents contents = (McpSchema.TextResourceContents)
                client.readResource(gpu).contents().getFirst();

        assertThat(contents.text()).contains("Radeon").contains("CUDA");
    }

    @Test
    void badArgumentsAndPathsOutsideTheRootsAreToolErrors() {
        CallToolResult noQuery = call(client, "search", Map.of());
        CallToolResult badK = call(client, "search", Map.of("query", "port", "k", 0));
        CallToolResult outside =
                call(client, "ingest_path", Map.of("path", home.resolve("docs").toString()));

        assertThat(noQuery.isError()).isTrue();
        assertThat(text(noQuery)).contains("Field \"query\" is required");
        assertThat(text(badK)).contains("\"k\"");
        assertThat(outside.isError()).isTrue();
        assertThat(text(outside)).contains("outside the allowed ingest roots");
    }

    /**
     * Spoken to by hand, without the SDK's client: every line on stdout is a JSON-RPC message, the
     * banner goes to stderr, a missing index is a tool error with the message {@code rag search}
     * prints, and the server keeps answering until the client closes its input.
     */
    @Test
    void stdoutCarriesOnlyProtocolAndAMissingIndexIsAToolErrorWithTheCliMessage() throws Exception {
        Path missing = home.resolve("no-index-here");
        CliRun cli = CliRun.run(home, home, env(), "search", "port", "--index", missing.toString());
        ProcessBuilder builder = new ProcessBuilder(rag("mcp", "--index", missing.toString()))
                .redirectError(home.resolve("mcp-stderr.log").toFile());
        builder.environment().putAll(env());
        Process p = builder.start();
        var stdout = p.inputReader(StandardCharsets.UTF_8);
        List<JsonNode> answers = new ArrayList<>();
        try (OutputStream in = p.getOutputStream()) {
            for (String message : List.of(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2024-11-05\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"search\","
                            + "\"arguments\":{\"query\":\"port\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"list_documents\","
                            + "\"arguments\":{}}}")) {
                in.write((message + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            // stdin stays open until every answer is out: closing it ends the session
            String line;
            while (answers.size() < 4 && (line = stdout.readLine()) != null) {
                answers.add(JSON.readTree(line)); // fails on anything that is not JSON
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).isZero();
        assertThat(stdout.lines().toList()).isEmpty();
        assertThat(answers)
                .hasSize(4)
                .allSatisfy(a -> assertThat(a.path("jsonrpc").asText()).isEqualTo("2.0"));
        JsonNode byId = JSON.createObjectNode();
        answers.forEach(a -> ((com.fasterxml.jackson.databind.node.ObjectNode) byId)
                .set(a.path("id").asText(), a));
        assertThat(byId.path("2").path("result").path("tools").findValuesAsText("name"))
                .doesNotContain("ingest_path");
        JsonNode search = byId.path("3").path("result");
        assertThat(search.path("isError").asBoolean()).isTrue();
        String message = search.path("content").get(0).path("text").asText();
        assertThat(message).contains("No index at " + missing);
        assertThat(cli.err()).contains(message);
        assertThat(byId.path("4").path("result").path("isError").asBoolean()).isTrue();
        assertThat(Files.readString(home.resolve("mcp-stderr.log"))).contains("LocalRAG MCP server on stdio");
    }
}
