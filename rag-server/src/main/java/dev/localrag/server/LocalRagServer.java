package dev.localrag.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.localrag.core.answer.ChatAvailability;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.IndexStats;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.runtime.AuditLog;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.ServerHttpHeaderValidator;
import io.modelcontextprotocol.spec.DefaultMcpStreamableServerSessionFactory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The LocalRAG HTTP server and its composition root: {@link #create} opens the collections and
 * wires every part; {@link #start} binds; {@link #close} shuts down gracefully (new requests get
 * 503, running answers are cancelled, ingest jobs get the grace period, then the indexes are closed
 * cleanly).
 *
 * <pre>{@code
 * try (LocalRagServer server = LocalRagServer.create(config, System.err::println).start()) {
 *     System.out.println(server.baseUrl());
 *     server.awaitStop();
 * }
 * }</pre>
 */
public final class LocalRagServer implements AutoCloseable {

    private static final String START_NANOS = "localrag.start";
    /** Where the Model Context Protocol is served (Streamable HTTP). */
    public static final String MCP_PATH = "/mcp";

    private final ServerConfig config;
    private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final Map<String, ServedCollection> collections = new LinkedHashMap<>();
    /**
     * One Ollama client per Ollama server (collections normally share one), so its retries, error
     * mapping and request limiter cover every answer the server makes.
     */
    private final Map<OllamaSettings, OllamaClient> ollamaClients = new LinkedHashMap<>();

    private final ServerMetrics metrics = new ServerMetrics();
    private final ErrorMapper errors = new ErrorMapper();
    private final ChatGate gate;
    private final ActiveRequests active = new ActiveRequests();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final byte[][] keys;
    /** The audit actor of each key: its fingerprint, never the key. */
    private final String[] actors;

    private final IngestJobs jobs;
    private final FolderWatches watches;
    private final HttpServletStreamableServerTransportProvider mcp;
    private final Javalin app;

    private LocalRagServer(ServerConfig config, Consumer<String> notices) {
        this.config = config;
        this.gate = new ChatGate(config.chatConcurrency(), config.chatQueue());
        this.keys = config.apiKeys().stream()
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
        this.actors = config.apiKeys().stream().map(AuditLog::keyFingerprint).toArray(String[]::new);
        PathGuard guard = new PathGuard(config.ingestRoots());
        try {
            for (Map.Entry<String, RagConfig> e : config.collections().entrySet()) {
                String name = e.getKey();
                OllamaClient client = ollamaClients.computeIfAbsent(e.getValue().ollama(), OllamaClient::new);
                collections.put(
                        name,
                        ServedCollection.open(
                                name,
                                e.getValue(),
                                client,
                                n -> notices.accept(name + ": " + n),
                                "server " + config.host() + ":" + config.port()));
            }
        } catch (RuntimeException e) {
            collections.values().forEach(ServedCollection::close);
            ollamaClients.values().forEach(OllamaClient::close);
            throw e;
        }
        this.jobs = new IngestJobs(metrics, errors);
        try {
            this.watches = new FolderWatches(config.watched(), this::collection, jobs, notices);
        } catch (RuntimeException e) {
            collections.values().forEach(ServedCollection::close);
            ollamaClients.values().forEach(OllamaClient::close);
            throw e;
        }
        QueryService service = new QueryService(
                gate,
                metrics,
                active,
                config.reranker() == null
                        ? null
                        : dev.localrag.core.rerank.Rerankers.parse(
                                config.reranker(), java.time.Duration.ofSeconds(60), null));
        QueryRoutes query = new QueryRoutes(json, this::collection, service, errors);
        OpenAiRoutes openAi =
                new OpenAiRoutes(json, this::collection, () -> List.copyOf(collections.values()), service, query);
        DocumentRoutes documents = new DocumentRoutes(json, this::collection, jobs, guard, config.uploadTypes());
        CollectionRoutes collectionRoutes = new CollectionRoutes(() -> List.copyOf(collections.values()), config);
        WebUi webUi = new WebUi();
        this.mcp = mcpTransport(
                new McpService(this::collection, LocalRagMcp.collectionNames(config), service, jobs, guard, errors),
                config);
        metrics.gauge("localrag.chat.queue.in.flight", "Answers running or waiting for the chat model", gate::inFlight);
        metrics.gauge("localrag.http.in.flight", "HTTP requests being handled", inFlight::get);
        this.app = Javalin.create(cfg -> {
            configure(cfg);
            WebUi.configure(cfg);
            cfg.jetty.modifyServletContextHandler(handler -> {
                // the MCP SDK's servlet, behind the same API keys, shutdown refusal and request metrics
                handler.addServlet(new ServletHolder(mcp), MCP_PATH);
                handler.addFilter(new FilterHolder(this::mcpFilter), MCP_PATH, EnumSet.of(DispatcherType.REQUEST));
            });
            RoutesConfig routes = cfg.routes;
            routes.before(this::before);
            routes.after(this::after);
            routes.exception(Exception.class, this::error);
            routes.exception(HttpResponseException.class, this::error);
            routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            routes.get("/readyz", this::ready);
            routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(metrics.scrape()));
            routes.get(
                    "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));
            query.register(routes);
            documents.register(routes);
            openAi.register(routes);
            collectionRoutes.register(routes);
            webUi.register(routes);
        });
    }

    /**
     * Opens every collection (creating empty indexes where none exist) and builds the server; call
     * {@link #start()} to bind.
     *
     * @param notices one-line notices for the operator (e.g. which embedder a new index uses)
     */
    public static LocalRagServer create(ServerConfig config, Consumer<String> notices) {
        return new LocalRagServer(config, notices);
    }

    public LocalRagServer start() {
        app.start(config.host(), config.port());
        watches.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    public URI baseUrl() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    public ServerConfig config() {
        return config;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void configure(JavalinConfig cfg) {
        cfg.concurrency.useVirtualThreads = true;
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.http.maxRequestSize = config.maxBodyBytes();
        cfg.http.defaultContentType = "application/json";
        cfg.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes(), SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxInMemoryFileSize(64 * 1024, SizeUnit.BYTES);
        cfg.jsonMapper(new JavalinJackson(json, true));
        // errors Jetty raises before Javalin sees the request (bad request line, headers, URI) as JSON too
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(json)));
        cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler(json)));
        cfg.router.javaLangErrorHandler((res, error) -> { // an Error (not an Exception): still JSON, no trace
            ErrorMapper.Mapped m = errors.map(error);
            res.setStatus(m.status());
            if (!res.isCommitted()) {
                try {
                    res.setContentType("application/json");
                    res.getOutputStream().write(json.writeValueAsBytes(ErrorMapper.body(m)));
                } catch (IOException e) {
                    error.addSuppressed(e); // the client is gone; the error itself is logged by map()
                }
            }
        });
        if (!config.corsOrigins().isEmpty()) {
            cfg.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                for (String origin : config.corsOrigins()) {
                    if (origin.equals("*")) {
                        rule.anyHost();
                    } else {
                        rule.allowHost(origin);
                    }
                }
                rule.exposeHeader("Retry-After");
                rule.exposeHeader("Location");
            }));
        }
    }

    ServedCollection collection(String name) {
        if (name == null || name.isBlank()) {
            return collections.get(config.defaultCollection());
        }
        ServedCollection c = collections.get(name);
        if (c == null) {
            throw ServedCollection.notFound(name, collections.keySet());
        }
        return c;
    }

    private void before(Context ctx) {
        ctx.attribute(START_NANOS, System.nanoTime());
        inFlight.incrementAndGet();
        String path = ctx.path();
        boolean open = path.equals("/healthz")
                || path.equals("/readyz")
                || WebUi.isPublic(ctx.method().name(), path);
        if (stopping.get() && !path.equals("/healthz")) {
            throw new ApiException(503, "shutting_down", "The server is shutting down.");
        }
        boolean preflight =
                ctx.method().name().equals("OPTIONS") && ctx.header("Access-Control-Request-Method") != null;
        if (config.authRequired() && !open && !preflight) {
            authenticate(ctx);
        }
        long length = ctx.req().getContentLengthLong();
        boolean upload = path.equals("/v1/documents") && ctx.isMultipart();
        long limit = upload ? config.maxUploadBytes() : config.maxBodyBytes();
        if (length > limit) {
            throw new ApiException(
                    413,
                    "payload_too_large",
                    "The request body has " + length + " bytes; this endpoint accepts at most " + limit + ".");
        }
    }

    private void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        int match = keyIndex(header);
        if (match >= 0) {
            ctx.attribute(Audit.ACTOR, actors[match]); // the key's fingerprint, never the key
            return;
        }
        ctx.header("WWW-Authenticate", "Bearer realm=\"localrag\"");
        throw refusal(header);
    }

    /** Null when {@code header} holds an accepted API key, else why not. */
    private ApiException unauthorized(String header) {
        return keyIndex(header) >= 0 ? null : refusal(header);
    }

    /** Which configured key {@code header} holds, or -1. */
    private int keyIndex(String header) {
        int match = -1;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < keys.length; i++) {
                if (MessageDigest.isEqual(keys[i], given)) { // constant time, and no early exit
                    match = i;
                }
            }
        }
        return match;
    }

    private static ApiException refusal(String header) {
        return new ApiException(
                401,
                "unauthorized",
                header == null
                        ? "This server needs an API key: send Authorization: Bearer KEY."
                        : "The API key is not valid.");
    }

    /**
     * The SDK's Streamable HTTP servlet. A browser's request (it sends {@code Origin}) is refused
     * with 403 unless {@code --cors-origin} allows its origin: no web page the user visits can
     * reach the documents through a rebound DNS name.
     */
    private static HttpServletStreamableServerTransportProvider mcpTransport(McpService service, ServerConfig config) {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(service.jsonMapper())
                .mcpEndpoint(MCP_PATH)
                .maxRequestSize((int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes()))
                .httpHeaderValidator(
                        config.corsOrigins().contains("*")
                                ? ServerHttpHeaderValidator.NOOP
                                : DefaultServerTransportSecurityValidator.builder()
                                        .allowedOrigins(config.corsOrigins())
                                        .build())
                .build();
        List<String> versions = transport.protocolVersions();
        transport.setSessionFactory(new DefaultMcpStreamableServerSessionFactory(
                LocalRagMcp.REQUEST_TIMEOUT,
                request -> service.initialize(request, versions),
                service.requestHandlers(),
                service.notificationHandlers()));
        return transport;
    }

    /** {@code /mcp}: what {@link #before} and {@link #after} do for the REST routes. */
    private void mcpFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        try {
            ApiException refused = stopping.get()
                    ? new ApiException(503, "shutting_down", "The server is shutting down.")
                    : config.authRequired() ? unauthorized(req.getHeader("Authorization")) : null;
            if (refused == null) {
                chain.doFilter(request, response);
                return;
            }
            if (refused.status() == 401) {
                res.setHeader("WWW-Authenticate", "Bearer realm=\"localrag\"");
            }
            res.setStatus(refused.status());
            res.setContentType("application/json");
            res.getOutputStream().write(json.writeValueAsBytes(errors.body(refused)));
        } finally {
            inFlight.decrementAndGet();
            metrics.request(req.getMethod(), MCP_PATH, res.getStatus(), System.nanoTime() - start);
        }
    }

    private void after(Context ctx) {
        Long start = ctx.attribute(START_NANOS);
        if (start == null) {
            return;
        }
        inFlight.decrementAndGet();
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        if (endpoint == null) { // refused before routing (401, 413, 503): label it with the route it asked for
            var parsed = app.unsafe.internalRouter.findFirstHttpHandlerEntry(ctx.method(), ctx.path());
            endpoint = parsed == null ? null : parsed.endpoint;
        }
        String route = endpoint == null ? "unmatched" : endpoint.path;
        metrics.request(ctx.method().name(), route, ctx.statusCode(), System.nanoTime() - start);
    }

    private void error(Exception e, Context ctx) {
        ErrorMapper.Mapped m = errors.map(e);
        if (m.status() == 429) {
            ctx.header(
                    "Retry-After", Long.toString(Math.max(1, config.retryAfter().toSeconds())));
        }
        ctx.status(m.status()).json(ErrorMapper.body(m));
    }

    private void ready(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Object> perCollection = new LinkedHashMap<>();
        for (ServedCollection c : collections.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (!c.isOpen()) {
                problems.add(c.name() + ": index closed");
                m.put("index", "closed");
            } else {
                IndexStats stats = c.index().stats();
                m.put("index", "open");
                m.put("documents", stats.documents());
                m.put("chunks", stats.chunks());
            }
            ChatAvailability.Status status = c.chatStatus(true);
            m.put("chatModel", status.model().toString());
            m.put("chatModelReachable", status.available());
            if (!status.available()) {
                problems.add(c.name() + ": " + status.notice());
            }
            perCollection.put(c.name(), m);
        }
        body.put("status", problems.isEmpty() ? "ready" : "not_ready");
        body.put("collections", perCollection);
        body.put("problems", problems);
        ctx.status(problems.isEmpty() ? 200 : 503).json(body);
    }

    private static String openApi() {
        try (InputStream in = LocalRagServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The registered routes as "METHOD path", for the OpenAPI test. */
    List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(p -> p.endpoint)
                .filter(e -> e.method.isHttpMethod())
                .map(e -> e.method.name() + " " + e.path)
                .sorted()
                .toList();
    }

    /**
     * Shuts down gracefully: refuses new requests (503), cancels running answers (their streams end
     * with an {@code error} event, code {@code shutting_down}), waits up to the grace period for
     * requests and ingest jobs, stops HTTP, and closes every index (committing it).
     */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        try {
            watches.close(); // no new sync starts; a running one ends as an ingest job
            active.cancelAll(RequestCancellation.Reason.SHUTDOWN);
            long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
            while ((active.size() > 0 || inFlight.get() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            jobs.close(config.shutdownGrace());
            mcp.closeGracefully().block(config.shutdownGrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                app.stop();
            } finally {
                RuntimeException failure = null;
                for (ServedCollection c : collections.values()) {
                    try {
                        c.close(config.shutdownGrace());
                    } catch (RuntimeException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
                ollamaClients.values().forEach(OllamaClient::close);
                stopped.countDown();
                if (failure != null) {
                    throw failure;
                }
            }
        }
    }
}
