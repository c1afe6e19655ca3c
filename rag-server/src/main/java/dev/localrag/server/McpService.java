package dev.localrag.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.localrag.core.LocalRagException;
import dev.localrag.core.chunk.Breadcrumb;
import dev.localrag.core.index.FilterExpressions;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SearchRequest;
import dev.localrag.core.index.SourceDocument;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpNotificationHandler;
import io.modelcontextprotocol.server.McpRequestHandler;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.InitializeRequest;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.ListResourcesResult;
import io.modelcontextprotocol.spec.McpSchema.PaginatedRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * LocalRAG over the Model Context Protocol: the tools {@code search}, {@code ask}, {@code
 * list_documents}, {@code get_passage} (and {@code ingest_path} when ingest roots are allowed) and
 * every indexed document as a resource {@code localrag://COLLECTION/DOCUMENT_ID}, as request
 * handlers for the MCP SDK's server sessions (stdio and Streamable HTTP). The tools are thin
 * adapters: search retrieves like {@code rag search}, ask answers through the server's {@link
 * QueryService} (chat queue, metrics), ingest runs as an {@link IngestJobs} job.
 *
 * <p>The SDK's own server ({@code McpServer.sync}) is not used: in 2.1.0 it lists every registered
 * resource in one reply, ignoring the cursor, and its resource set is fixed when registered, while
 * an index changes under it. These handlers list the indexes' documents as they are now, a page at
 * a time.
 */
final class McpService {

    static final String SCHEME = "localrag://";
    static final int RESOURCE_PAGE = 100;
    static final int MAX_CONTEXT = 5;

    private static final String INSTRUCTIONS =
            "LocalRAG searches the user's own indexed documents (notes, manuals, papers) and answers with citations."
                    + " Use search to find passages, ask for a grounded answer, get_passage to read a cited passage with"
                    + " its neighbours, list_documents (or the resources) to see what is indexed. Cite passages by their"
                    + " citation id.";
    private static final McpSchema.ServerCapabilities CAPABILITIES = McpSchema.ServerCapabilities.builder()
            .tools(false)
            .resources(false, false)
            .build();

    private static final Set<String> SEARCH_FIELDS = Set.of("query", "k", "mode", "filter", "collection");
    private static final Set<String> ASK_FIELDS = Set.of("question", "k", "mode", "collection");
    private static final Set<String> LIST_FIELDS = Set.of("offset", "limit", "collection");
    private static final Set<String> PASSAGE_FIELDS = Set.of("citation", "context", "collection");
    private static final Set<String> INGEST_FIELDS = Set.of("path", "collection");

    private final ObjectMapper json = new ObjectMapper();
    private final McpJsonMapper mapper = new JacksonMcpJsonMapper(json);
    private final Function<String, ServedCollection> collections;
    private final List<String> names;
    private final QueryService queries;
    private final IngestJobs jobs;
    private final PathGuard guard;
    private final ErrorMapper errors;
    private final List<Tool> tools;

    /**
     * @param collections the collection for a name (the default one for null), or an {@link
     *     ApiException} when there is none
     * @param names the served collections, the default one first
     * @param guard the allowed ingest roots: none leaves out {@code ingest_path}
     */
    McpService(
            Function<String, ServedCollection> collections,
            List<String> names,
            QueryService queries,
            IngestJobs jobs,
            PathGuard guard,
            ErrorMapper errors) {
        this.collections = collections;
        this.names = List.copyOf(names);
        this.queries = queries;
        this.jobs = jobs;
        this.guard = guard;
        this.errors = errors;
        this.tools = tools();
    }

    McpJsonMapper jsonMapper() {
        return mapper;
    }

    // ---- session wiring ----

    /** Answers {@code initialize}: the client's protocol version when the transport speaks it, else the newest. */
    Mono<InitializeResult> initialize(InitializeRequest request, List<String> supported) {
        String version =
                supported.contains(request.protocolVersion()) ? request.protocolVersion() : supported.getLast();
        return Mono.just(new InitializeResult(version, CAPABILITIES, serverInfo(), INSTRUCTIONS));
    }

    private static McpSchema.Implementation serverInfo() {
        String version = McpService.class.getPackage().getImplementationVersion();
        return new McpSchema.Implementation("localrag", "LocalRAG", version == null ? "dev" : version);
    }

    Map<String, McpRequestHandler<?>> requestHandlers() {
        Map<String, McpRequestHandler<?>> handlers = new LinkedHashMap<>();
        handlers.put(McpSchema.METHOD_PING, (exchange, params) -> Mono.just(Map.of()));
        handlers.put(
                McpSchema.METHOD_TOOLS_LIST,
                (exchange, params) -> Mono.just(new McpSchema.ListToolsResult(tools, null)));
        handlers.put(
                McpSchema.METHOD_TOOLS_CALL,
                (exchange, params) -> blocking(() -> call(convert(params, new TypeRef<CallToolRequest>() {}))));
        handlers.put(
                McpSchema.METHOD_RESOURCES_LIST,
                (exchange, params) -> blocking(() -> listResources(
                        params == null
                                ? null
                                : convert(params, new TypeRef<PaginatedRequest>() {})
                                        .cursor())));
        handlers.put(
                McpSchema.METHOD_RESOURCES_TEMPLATES_LIST,
                (exchange, params) -> Mono.just(new McpSchema.ListResourceTemplatesResult(
                        List.of(ResourceTemplate.builder(SCHEME + "{collection}/{documentId}", "document")
                                .title("Indexed document")
                                .description("The extracted text of one indexed document (its chunks, joined)."
                                        + " Collections: " + names + ".")
                                .mimeType("text/plain")
                                .build()),
                        null)));
        handlers.put(
                McpSchema.METHOD_RESOURCES_READ,
                (exchange, params) -> blocking(() -> readResource(
                        convert(params, new TypeRef<ReadResourceRequest>() {}).uri())));
        return handlers;
    }

    Map<String, McpNotificationHandler> notificationHandlers() {
        McpNotificationHandler ignore = (exchange, params) -> Mono.empty();
        return Map.of(McpSchema.METHOD_NOTIFICATION_INITIALIZED, ignore, "notifications/cancelled", ignore);
    }

    private <T> T convert(Object params, TypeRef<T> type) {
        if (params == null) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS)
                    .message("The request has no params.")
                    .build();
        }
        try {
            return mapper.convertValue(params, type);
        } catch (IllegalArgumentException e) {
            throw McpError.builder(ErrorCodes.INVALID_PARAMS)
                    .message("Invalid params: " + e.getMessage())
                    .build();
        }
    }

    /** Runs index, embedder and model work off the transport's threads. */
    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }

    // ---- tools ----

    private List<Tool> tools() {
        String collection = "\"collection\": {\"type\": \"string\", \"description\": \"Which index to use: one of "
                + names + " (default: " + names.getFirst() + ").\"}";
        String k = "\"k\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": " + QueryRoutes.MAX_K
                + ", \"description\": \"How many passages to retrieve.\"}";
        String mode =
                "\"mode\": {\"type\": \"string\", \"enum\": [\"hybrid\", \"vector\", \"keyword\"], \"description\":"
                        + " \"hybrid (default) combines meaning and exact words; keyword for names, codes and error messages;"
                        + " vector for paraphrases.\"}";
        List<Tool> list = new ArrayList<>();
        list.add(tool(
                "search",
                "Search the user's indexed documents",
                "Find the passages of the user's local documents that best match a query (retrieval only, no"
                        + " generated answer). Returns ranked passages with path, title, section, page, score, text and"
                        + " a citation id to quote or to expand with get_passage. Prefer this over ask when you will"
                        + " reason over the passages yourself.",
                "{\"type\": \"object\", \"properties\": {"
                        + "\"query\": {\"type\": \"string\", \"description\": \"What to look for, in natural language"
                        + " or keywords.\"}, "
                        + k.replace("retrieve.", "retrieve (default 5).") + ", " + mode + ", "
                        + "\"filter\": {\"type\": \"object\", \"description\": \"Only documents whose metadata"
                        + " matches: {key: value or [values]}. Keys: path, title, mime_type, size, modified; author,"
                        + " created, language, pages when the file has them; or a document's extra metadata.\","
                        + " \"additionalProperties\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"number\"},"
                        + " {\"type\": \"array\", \"items\": {\"type\": [\"string\", \"number\"]}}]}}, "
                        + collection + "}, \"required\": [\"query\"], \"additionalProperties\": false}",
                true));
        list.add(tool(
                "ask",
                "Answer a question from the user's documents",
                "Answer a question from the user's local documents with numbered citations [n] to the passages"
                        + " used. When no chat model runs, returns the retrieved passages as the answer with a notice;"
                        + " when nothing relevant is indexed, says so (kind not-found). Every citation has a citation id"
                        + " for get_passage.",
                "{\"type\": \"object\", \"properties\": {"
                        + "\"question\": {\"type\": \"string\", \"description\": \"The question, as the user would"
                        + " ask it.\"}, "
                        + k.replace("retrieve.", "retrieve (default: the index's topK).") + ", " + mode + ", "
                        + collection + "}, \"required\": [\"question\"], \"additionalProperties\": false}",
                true));
        list.add(tool(
                "list_documents",
                "List the indexed documents",
                "List the documents in the index, sorted by path, a page at a time: id, path, title, media type,"
                        + " size, modified time and the resource uri that reads its text. Use total and offset to page.",
                "{\"type\": \"object\", \"properties\": {"
                        + "\"offset\": {\"type\": \"integer\", \"minimum\": 0, \"description\": \"Documents to skip"
                        + " (default 0).\"}, "
                        + "\"limit\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": " + DocumentRoutes.MAX_PAGE
                        + ", \"description\": \"Documents per page (default 50).\"}, "
                        + collection + "}, \"additionalProperties\": false}",
                true));
        list.add(tool(
                "get_passage",
                "Read a cited passage with its context",
                "Fetch the passage a citation id points to (from search or ask), with the neighbouring passages"
                        + " of the same document before and after it, to read more context or to check a quote.",
                "{\"type\": \"object\", \"properties\": {"
                        + "\"citation\": {\"type\": \"string\", \"description\": \"A citation id from search or ask,"
                        + " like BASE64URL#CHUNK.\"}, "
                        + "\"context\": {\"type\": \"integer\", \"minimum\": 0, \"maximum\": " + MAX_CONTEXT
                        + ", \"description\": \"Neighbouring passages on each side (default 1).\"}, "
                        + collection + "}, \"required\": [\"citation\"], \"additionalProperties\": false}",
                true));
        if (!guard.roots().isEmpty()) {
            list.add(tool(
                    "ingest_path",
                    "Index a file or folder",
                    "Index (or bring up to date) a file or folder under the allowed roots " + guard.roots()
                            + ", so search and ask find it. Only changed files are re-indexed. Waits until done and"
                            + " returns how many files were indexed, unchanged or failed.",
                    "{\"type\": \"object\", \"properties\": {"
                            + "\"path\": {\"type\": \"string\", \"description\": \"An absolute path under an allowed"
                            + " root, or a path relative to the first root.\"}, "
                            + collection + "}, \"required\": [\"path\"], \"additionalProperties\": false}",
                    false));
        }
        return List.copyOf(list);
    }

    private Tool tool(String name, String title, String description, String schema, boolean readOnly) {
        return Tool.builder()
                .name(name)
                .title(title)
                .description(description)
                .inputSchema(mapper, schema)
                .annotations(new McpSchema.ToolAnnotations(title, readOnly, false, readOnly, false, null))
                .build();
    }

    /** Runs a tool; its failures become tool errors ({@code isError}) with the message the CLI prints. */
    CallToolResult call(CallToolRequest request) {
        ObjectNode args = json.valueToTree(request.arguments() == null ? Map.of() : request.arguments());
        JsonBody body = JsonBody.of(args);
        Map<String, Object> result;
        try {
            result = switch (request.name()) {
                case "search" -> search(body.onlyFields(SEARCH_FIELDS));
                case "ask" -> ask(body.onlyFields(ASK_FIELDS));
                case "list_documents" -> listDocuments(body.onlyFields(LIST_FIELDS));
                case "get_passage" -> passage(body.onlyFields(PASSAGE_FIELDS));
                case "ingest_path" -> {
                    if (guard.roots().isEmpty()) {
                        throw unknownTool(request.name());
                    }
                    yield ingest(body.onlyFields(INGEST_FIELDS));
                }
                default -> throw unknownTool(request.name());
            };
        } catch (McpError e) {
            throw e;
        } catch (RuntimeException e) {
            return CallToolResult.builder()
                    .addTextContent(message(e))
                    .isError(true)
                    .build();
        }
        return CallToolResult.builder()
                .content(List.of(new TextContent(write(result))))
                .structuredContent(result)
                .isError(false)
                .build();
    }

    private McpError unknownTool(String name) {
        return McpError.builder(ErrorCodes.INVALID_PARAMS)
                .message("Unknown tool \"" + name + "\". Tools: "
                        + tools.stream().map(Tool::name).toList() + ".")
                .build();
    }

    /** The message the CLI and the REST API give; an unexpected failure is logged with an incident id. */
    private String message(RuntimeException e) {
        ErrorMapper.Mapped mapped = errors.map(e);
        if (mapped.status() == 500 && e instanceof LocalRagException && e.getMessage() != null) {
            return e.getMessage();
        }
        return mapped.message();
    }

    /** Retrieval as {@code rag search} does it: same request, same ranking. */
    private Map<String, Object> search(JsonBody body) {
        ServedCollection collection = collections.apply(body.optionalString("collection"));
        String query = body.requiredString("query");
        Integer k = body.optionalInt("k", 1, QueryRoutes.MAX_K);
        SearchRequest.Builder request = SearchRequest.builder()
                .mode(mode(body))
                .k(k == null ? 5 : k)
                .filter(FilterExpressions.parse(filters(body), "filter"));
        List<SearchHit> hits = collection.runtime().retriever().retrieve(query, request);
        List<Map<String, Object>> out = new ArrayList<>();
        for (SearchHit h : hits) {
            Map<String, Object> m = passageJson(collection, h);
            m.put("rank", out.size() + 1);
            m.put("score", h.score());
            out.add(m);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("hits", out);
        result.put("collection", collection.name());
        return result;
    }

    private static SearchMode mode(JsonBody body) {
        String mode = body.optionalString("mode");
        if (mode == null) {
            return SearchMode.HYBRID;
        }
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "hybrid" -> SearchMode.HYBRID;
            case "vector" -> SearchMode.VECTOR;
            case "keyword" -> SearchMode.KEYWORD;
            default ->
                throw ApiException.badRequest(
                        "Field \"mode\" must be hybrid, vector or keyword, but was \"" + mode + "\".");
        };
    }

    /** {@code {key: value or [values]}} as the CLI's {@code --filter KEY=VALUE} expressions. */
    private List<String> filters(JsonBody body) {
        var node = body.node("filter");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(
                    "Field \"filter\" must be an object like {\"mime_type\": \"application/pdf\"}, but was " + node);
        }
        List<String> expressions = new ArrayList<>();
        node.fields().forEachRemaining(e -> {
            var values = e.getValue().isArray()
                    ? e.getValue()
                    : json.createArrayNode().add(e.getValue());
            for (var v : values) {
                if (!v.isTextual() && !v.isNumber()) {
                    throw ApiException.badRequest("Field \"filter." + e.getKey()
                            + "\" must be a string, a number or an array of them, but was " + e.getValue());
                }
                expressions.add(e.getKey() + "=" + v.asText());
            }
        });
        return expressions;
    }

    /** An answer as {@code POST /v1/query} gives it, each citation and source with its citation id. */
    private Map<String, Object> ask(JsonBody body) {
        ServedCollection collection = collections.apply(body.optionalString("collection"));
        Integer k = body.optionalInt("k", 1, QueryRoutes.MAX_K);
        QueryService.Query q = new QueryService.Query(
                collection,
                body.requiredString("question"),
                k != null ? k : Math.min(QueryRoutes.MAX_K, collection.config().topK()),
                mode(body),
                QueryService.PathFilter.NONE,
                List.of());
        QueryService.Result result = queries.answer(q, new QueryService.Listener() {}, new RequestCancellation());
        Map<String, Object> m = QueryService.resultJson(result, true);
        for (String list : List.of("citations", "sources")) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) m.get(list);
            for (Map<String, Object> item : items) {
                item.put(
                        "citation",
                        CitationId.of((String) item.get("path"), (Integer) item.get("chunk"))
                                .toString());
            }
        }
        return m;
    }

    private Map<String, Object> listDocuments(JsonBody body) {
        ServedCollection collection = collections.apply(body.optionalString("collection"));
        Integer offset = body.optionalInt("offset", 0, Integer.MAX_VALUE);
        Integer limit = body.optionalInt("limit", 1, DocumentRoutes.MAX_PAGE);
        int from = offset == null ? 0 : offset;
        int size = limit == null ? 50 : limit;
        Map<String, Object> result = DocumentRoutes.pageJson(collection, from, size);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> documents = (List<Map<String, Object>>) result.get("documents");
        documents.forEach(d -> d.put("uri", uri(collection, (String) d.get("path"))));
        return result;
    }

    private Map<String, Object> passage(JsonBody body) {
        ServedCollection collection = collections.apply(body.optionalString("collection"));
        CitationId id = CitationId.parse(body.requiredString("citation"));
        Integer context = body.optionalInt("context", 0, MAX_CONTEXT);
        int around = context == null ? 1 : context;
        List<SearchHit> chunks = collection.index().chunks(id.documentId());
        if (chunks.isEmpty()) {
            throw ApiException.notFound(
                    "document_not_found",
                    "Collection " + collection.name() + " has no document " + id.documentId()
                            + " (it may have been removed since; search again).");
        }
        int at = -1;
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).ordinal() == id.chunk()) {
                at = i;
            }
        }
        if (at < 0) {
            throw ApiException.notFound(
                    "passage_not_found",
                    "Document " + id.documentId() + " has no passage " + id.chunk() + " (it has " + chunks.size()
                            + "; it may have been re-indexed since: search again).");
        }
        Map<String, Object> m = passageJson(collection, chunks.get(at));
        List<Map<String, Object>> before = new ArrayList<>();
        for (int i = Math.max(0, at - around); i < at; i++) {
            before.add(neighbourJson(chunks.get(i)));
        }
        List<Map<String, Object>> after = new ArrayList<>();
        for (int i = at + 1; i <= Math.min(chunks.size() - 1, at + around); i++) {
            after.add(neighbourJson(chunks.get(i)));
        }
        m.put("before", before);
        m.put("after", after);
        m.put("collection", collection.name());
        return m;
    }

    private static Map<String, Object> neighbourJson(SearchHit h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("citation", CitationId.of(h.documentId(), h.ordinal()).toString());
        m.put("chunk", h.ordinal());
        m.put("text", h.text());
        return m;
    }

    /** One passage: where it is (path, section, page, chunk), its citation id and text. */
    private static Map<String, Object> passageJson(ServedCollection collection, SearchHit h) {
        Breadcrumb where = Breadcrumb.of(h.documentId(), h.title(), h.text());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("citation", CitationId.of(h.documentId(), h.ordinal()).toString());
        m.put("path", h.documentId());
        m.put("title", h.title());
        m.put("section", where.section());
        m.put("page", where.page());
        m.put("chunk", h.ordinal());
        m.put("text", h.text());
        m.put("uri", uri(collection, h.documentId()));
        return m;
    }

    private Map<String, Object> ingest(JsonBody body) {
        ServedCollection collection = collections.apply(body.optionalString("collection"));
        Path path = guard.check(body.requiredString("path"));
        IngestJobs.Job job = jobs.submit(collection, "mcp", List.of(path), new Audit("mcp", "mcp", "tool ingest_path"));
        try {
            job.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestCancellation.CancelledException(RequestCancellation.Reason.SHUTDOWN);
        }
        Map<String, Object> result = job.toJson();
        if (job.state != IngestJobs.State.SUCCEEDED) {
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) ((Map<String, Object>) result.get("error")).get("error");
            throw new ApiException(500, "ingest_failed", "Ingest of " + path + " failed: " + error.get("message"));
        }
        return result;
    }

    // ---- resources ----

    static String uri(ServedCollection collection, String documentId) {
        return SCHEME + collection.name() + "/" + DocumentIds.encode(documentId);
    }

    /** One page of every collection's documents, in collection order then by path; the cursor is an offset. */
    ListResourcesResult listResources(String cursor) {
        int offset = 0;
        if (cursor != null) {
            try {
                offset = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                offset = -1;
            }
            if (offset < 0) {
                throw McpError.builder(ErrorCodes.INVALID_PARAMS)
                        .message("Invalid cursor \"" + cursor + "\": pass the nextCursor of the previous page.")
                        .build();
            }
        }
        List<Resource> page = new ArrayList<>();
        int seen = 0;
        for (String name : names) {
            ServedCollection collection = resourceCollection(name);
            List<SourceDocument> documents = DocumentRoutes.sorted(collection.index());
            for (int i = Math.max(0, offset - seen); i < documents.size() && page.size() < RESOURCE_PAGE; i++) {
                page.add(resource(collection, documents.get(i)));
            }
            seen += documents.size();
            if (page.size() == RESOURCE_PAGE) {
                break;
            }
        }
        int next = offset + page.size();
        return new ListResourcesResult(page, page.size() == RESOURCE_PAGE ? Integer.toString(next) : null);
    }

    private static Resource resource(ServedCollection collection, SourceDocument d) {
        String name = d.title().isBlank() ? Breadcrumb.rootOf(d.id()) : d.title();
        return Resource.builder()
                .uri(uri(collection, d.id()))
                .name(name)
                .title(name)
                .description(d.id()
                        + (collection.name().equals(ServerConfig.DEFAULT_COLLECTION)
                                ? ""
                                : " (collection " + collection.name() + ")"))
                .mimeType("text/plain")
                .build();
    }

    /** The document's extracted text: its chunks in order, joined by blank lines. */
    ReadResourceResult readResource(String uri) {
        if (uri == null || !uri.startsWith(SCHEME) || uri.indexOf('/', SCHEME.length()) < 0) {
            throw notFound(uri, "resource uris look like " + SCHEME + "COLLECTION/DOCUMENT_ID");
        }
        int slash = uri.indexOf('/', SCHEME.length());
        ServedCollection collection = resourceCollection(uri.substring(SCHEME.length(), slash));
        String documentId;
        try {
            documentId = DocumentIds.decode(uri.substring(slash + 1));
        } catch (ApiException e) {
            throw notFound(uri, "the document id is not valid");
        }
        List<SearchHit> chunks = collection.index().chunks(documentId);
        if (chunks.isEmpty()) {
            throw notFound(uri, "collection " + collection.name() + " has no document " + documentId);
        }
        StringBuilder text = new StringBuilder();
        for (SearchHit h : chunks) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(h.text());
        }
        return new ReadResourceResult(List.of(new TextResourceContents(uri, "text/plain", text.toString())));
    }

    /** A collection for resources: a missing or broken one is a protocol error with the CLI's message. */
    private ServedCollection resourceCollection(String name) {
        try {
            return collections.apply(name);
        } catch (ApiException e) {
            throw McpError.builder(e.status() == 404 ? ErrorCodes.RESOURCE_NOT_FOUND : ErrorCodes.INVALID_PARAMS)
                    .message(e.getMessage())
                    .build();
        } catch (RuntimeException e) {
            throw McpError.builder(ErrorCodes.INTERNAL_ERROR)
                    .message(message(e))
                    .build();
        }
    }

    private static McpError notFound(String uri, String why) {
        return McpError.builder(ErrorCodes.RESOURCE_NOT_FOUND)
                .message("Resource not found: " + uri + " (" + why + ").")
                .data(Map.of("uri", String.valueOf(uri)))
                .build();
    }

    private String write(Object value) {
        try {
            return new String(json.writeValueAsBytes(value), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
