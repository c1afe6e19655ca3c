package dev.localrag.server;

import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.ollama.OllamaClient;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * LocalRAG as a Model Context Protocol server over stdio ({@code rag mcp}): what desktop assistants
 * launch. The same tools and resources as {@code /mcp} on {@link LocalRagServer}.
 *
 * <p>Each collection is opened on first use, read-only unless ingest roots are allowed (so {@code
 * rag ingest} can run meanwhile). A collection that cannot be opened (no index yet, another
 * embedder asked for) is reported to the client as a tool error with the CLI's message, and opened
 * again on the next call: the server keeps running while the user fixes it.
 *
 * <pre>{@code
 * LocalRagMcp.serveStdio(ServerConfig.builder().collection("default", config).build(),
 *         System.in, System.out, System.err::println);
 * }</pre>
 */
public final class LocalRagMcp {

    /** How long the server waits for the client to answer a request of its own. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(1);

    private LocalRagMcp() {}

    /**
     * Serves {@code config}'s collections on {@code in} and {@code out} (newline-delimited JSON-RPC;
     * nothing else is written to {@code out}) until {@code in} ends, then closes the indexes. Only
     * {@link ServerConfig#collections()}, {@link ServerConfig#defaultCollection()}, {@link
     * ServerConfig#ingestRoots()} and the chat limits apply.
     *
     * @param notices one-line notices for the user (e.g. which embedder a new index uses): never
     *     {@code out}
     */
    public static void serveStdio(ServerConfig config, InputStream in, OutputStream out, Consumer<String> notices)
            throws InterruptedException {
        ErrorMapper errors = new ErrorMapper();
        ServerMetrics metrics = new ServerMetrics();
        PathGuard guard = new PathGuard(config.ingestRoots());
        try (LazyCollections collections =
                        new LazyCollections(config, !guard.roots().isEmpty(), notices);
                IngestJobs jobs = new IngestJobs(metrics, errors)) {
            McpService service = new McpService(
                    collections::get,
                    collectionNames(config),
                    new QueryService(
                            new ChatGate(config.chatConcurrency(), config.chatQueue()),
                            metrics,
                            new ActiveRequests(),
                            null),
                    jobs,
                    guard,
                    errors);
            CountDownLatch ended = new CountDownLatch(1);
            StdioServerTransportProvider transport = new StdioServerTransportProvider(service.jsonMapper(), in, out);
            List<String> versions = transport.protocolVersions();
            transport.setSessionFactory(session -> new McpServerSession(
                    UUID.randomUUID().toString(),
                    REQUEST_TIMEOUT,
                    new EndingTransport(session, ended),
                    request -> service.initialize(request, versions),
                    service.requestHandlers(),
                    service.notificationHandlers()));
            ended.await(); // the client closed our standard input (or it broke)
        }
    }

    /** The served collections, the default one first. */
    static List<String> collectionNames(ServerConfig config) {
        List<String> names = new ArrayList<>();
        names.add(config.defaultCollection());
        config.collections().keySet().stream()
                .filter(n -> !n.equals(config.defaultCollection()))
                .forEach(names::add);
        return List.copyOf(names);
    }

    /** Collections opened on first use; one that fails to open is tried again on the next call. */
    private static final class LazyCollections implements AutoCloseable {
        private final ServerConfig config;
        private final boolean writable;
        private final Consumer<String> notices;
        private final Map<String, ServedCollection> open = new LinkedHashMap<>();
        private final Map<OllamaSettings, OllamaClient> clients = new LinkedHashMap<>();

        LazyCollections(ServerConfig config, boolean writable, Consumer<String> notices) {
            this.config = config;
            this.writable = writable;
            this.notices = notices;
        }

        synchronized ServedCollection get(String requested) {
            String name = requested == null || requested.isBlank() ? config.defaultCollection() : requested;
            RagConfig rag = config.collections().get(name);
            if (rag == null) {
                throw ServedCollection.notFound(name, config.collections().keySet());
            }
            ServedCollection c = open.get(name);
            if (c == null) {
                OllamaClient client = clients.computeIfAbsent(rag.ollama(), OllamaClient::new);
                c = writable
                        ? ServedCollection.open(name, rag, client, n -> notices.accept(name + ": " + n), "mcp")
                        : ServedCollection.openReadOnly(name, rag, client, n -> notices.accept(name + ": " + n));
                open.put(name, c);
            }
            return c;
        }

        @Override
        public synchronized void close() {
            try {
                open.values().forEach(ServedCollection::close);
            } finally {
                clients.values().forEach(OllamaClient::close);
            }
        }
    }

    /** The session's transport, telling when the session is over (input ended or broken). */
    private static final class EndingTransport implements McpServerTransport {
        private final McpServerTransport delegate;
        private final CountDownLatch ended;

        EndingTransport(McpServerTransport delegate, CountDownLatch ended) {
            this.delegate = delegate;
            this.ended = ended;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return delegate.sendMessage(message);
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
            return delegate.unmarshalFrom(data, type);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return delegate.closeGracefully().doFinally(signal -> ended.countDown());
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } finally {
                ended.countDown();
            }
        }
    }
}
