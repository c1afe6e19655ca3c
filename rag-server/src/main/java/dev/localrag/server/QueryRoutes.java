package dev.localrag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.localrag.core.answer.Source;
import dev.localrag.core.answer.Turn;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SearchRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code POST /v1/query}, {@code POST /v1/query/stream} and {@code POST /v1/search}. */
final class QueryRoutes {

    static final int MAX_K = SearchRequest.MAX_K;
    static final int MAX_HISTORY = 50;
    private static final Set<String> QUERY_FIELDS = Set.of("question", "k", "mode", "filter", "history", "collection");
    private static final Set<String> SEARCH_FIELDS =
            Set.of("query", "k", "mode", "filter", "collection", "candidates", "rerank");
    private static final Set<String> FILTER_FIELDS = Set.of("paths", "pathPrefix", "documentIds");

    private final ObjectMapper json;
    private final Function<String, ServedCollection> collections;
    private final QueryService service;
    private final ErrorMapper errors;

    QueryRoutes(
            ObjectMapper json,
            Function<String, ServedCollection> collections,
            QueryService service,
            ErrorMapper errors) {
        this.json = json;
        this.collections = collections;
        this.service = service;
        this.errors = errors;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/query", this::query);
        routes.post("/v1/query/stream", this::stream);
        routes.post("/v1/search", this::search);
    }

    private void query(Context ctx) {
        QueryService.Query q =
                parseQuery(JsonBody.parse(json, ctx.bodyAsBytes()).onlyFields(QUERY_FIELDS));
        QueryService.Result result = service.answer(q, new QueryService.Listener() {}, new RequestCancellation());
        ctx.json(QueryService.resultJson(result, true));
    }

    private void stream(Context ctx) {
        QueryService.Query q =
                parseQuery(JsonBody.parse(json, ctx.bodyAsBytes()).onlyFields(QUERY_FIELDS));
        RequestCancellation cancellation = new RequestCancellation();
        SseStream sse = new SseStream(ctx, json, cancellation);
        try {
            QueryService.Result result = service.answer(
                    q,
                    new QueryService.Listener() {
                        @Override
                        public void onAdmitted() {
                            sse.open();
                        }

                        @Override
                        public void onWaiting() {
                            sse.comment("waiting for the chat model");
                        }

                        @Override
                        public void onSources(List<Source> sources) {
                            sse.event("sources", Map.of("sources", QueryService.sourcesJson(sources)));
                        }

                        @Override
                        public void onToken(String token) {
                            sse.event("token", Map.of("text", token));
                        }
                    },
                    cancellation);
            if (result.timings().tokens() == 0) {
                sse.event("token", Map.of("text", result.answer().text())); // extractive: the whole answer at once
            }
            sse.event("done", QueryService.resultJson(result, false));
        } catch (RuntimeException e) {
            if (!sse.isOpen()) {
                throw e; // nothing sent yet: a plain JSON error with its status
            }
            streamError(sse, e);
        }
    }

    /** Ends an open stream with an {@code error} event; a client that has gone gets nothing. */
    void streamError(SseStream sse, RuntimeException e) {
        if (e instanceof RequestCancellation.CancelledException c
                && c.reason() == RequestCancellation.Reason.CLIENT_GONE) {
            return;
        }
        try {
            sse.event("error", errors.body(e));
        } catch (RequestCancellation.CancelledException gone) {
            // the client left while we were telling it about the error: there is no one to tell
        }
    }

    private void search(Context ctx) {
        JsonBody body = JsonBody.parse(json, ctx.bodyAsBytes()).onlyFields(SEARCH_FIELDS);
        ServedCollection collection = collections.apply(body.optionalString("collection"));
        QueryService.Query q = new QueryService.Query(
                collection,
                body.requiredString("query"),
                k(body, collection),
                mode(body),
                filter(body.node("filter")),
                List.of(),
                candidates(body),
                body.optionalBoolean("rerank", false));
        long start = System.nanoTime();
        List<SearchHit> hits = service.retrieve(q);
        List<Map<String, Object>> out = new ArrayList<>();
        for (SearchHit h : hits) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", out.size() + 1);
            m.put("documentId", DocumentIds.encode(h.documentId()));
            m.put("path", h.documentId());
            m.put("title", h.title());
            m.put("chunk", h.ordinal());
            m.put("score", h.score());
            m.put("text", h.text());
            out.add(m);
        }
        ctx.json(Map.of(
                "hits",
                out,
                "collection",
                collection.name(),
                "timings",
                Map.of("retrievalMs", QueryService.ms(System.nanoTime() - start))));
    }

    QueryService.Query parseQuery(JsonBody body) {
        ServedCollection collection = collections.apply(body.optionalString("collection"));
        return new QueryService.Query(
                collection,
                body.requiredString("question"),
                k(body, collection),
                mode(body),
                filter(body.node("filter")),
                history(body.node("history")));
    }

    private static int k(JsonBody body, ServedCollection collection) {
        Integer k = body.optionalInt("k", 1, MAX_K);
        return k != null ? k : Math.min(MAX_K, collection.config().topK());
    }

    private static int candidates(JsonBody body) {
        Integer n = body.optionalInt("candidates", 1, SearchRequest.MAX_CANDIDATES);
        return n == null ? 0 : n;
    }

    private static SearchMode mode(JsonBody body) {
        String mode = body.optionalString("mode");
        if (mode == null) {
            return SearchMode.HYBRID;
        }
        try {
            return SearchMode.valueOf(mode.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "Field \"mode\" must be vector, keyword or hybrid, but was \"" + mode + "\".");
        }
    }

    static QueryService.PathFilter filter(JsonNode node) {
        if (node == null || node.isNull()) {
            return QueryService.PathFilter.NONE;
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest(
                    "Field \"filter\" must be an object like {\"pathPrefix\": \"/docs/\"}," + " but was " + node);
        }
        JsonBody filter = JsonBody.of(object);
        object.fieldNames().forEachRemaining(name -> {
            if (!FILTER_FIELDS.contains(name)) {
                throw ApiException.badRequest("Unknown field \"filter." + name + "\". Known: "
                        + FILTER_FIELDS.stream().sorted().toList() + ".");
            }
        });
        Set<String> paths = new HashSet<>(JsonBody.stringList(object.get("paths"), "filter.paths"));
        for (String id : JsonBody.stringList(object.get("documentIds"), "filter.documentIds")) {
            paths.add(DocumentIds.decode(id));
        }
        String prefix = filter.optionalString("pathPrefix");
        return new QueryService.PathFilter(Set.copyOf(paths), prefix == null || prefix.isEmpty() ? null : prefix);
    }

    static List<Turn> history(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("Field \"history\" must be an array of {role, content}, but was " + node);
        }
        if (node.size() > MAX_HISTORY) {
            throw ApiException.badRequest(
                    "Field \"history\" may hold at most " + MAX_HISTORY + " turns, but has " + node.size() + ".");
        }
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode turn = node.get(i);
            String role = turn.path("role").asText("");
            JsonNode content = turn.get("content");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw ApiException.badRequest(
                        "history[" + i + "].role must be \"user\" or \"assistant\", but was " + turn.get("role"));
            }
            if (content == null || !content.isTextual()) {
                throw ApiException.badRequest("history[" + i + "].content must be a string, but was " + content);
            }
            turns.add(role.equals("user") ? Turn.user(content.asText()) : Turn.assistant(content.asText()));
        }
        return List.copyOf(turns);
    }
}
