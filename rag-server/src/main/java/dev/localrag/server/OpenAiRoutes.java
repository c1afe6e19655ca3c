package dev.localrag.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.answer.Source;
import dev.localrag.core.answer.Turn;
import dev.localrag.core.index.SearchMode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * OpenAI-compatible {@code GET /v1/models} (one model per collection) and {@code POST
 * /v1/chat/completions}: the last user message is the question, earlier user and assistant turns
 * are the history, system messages are ignored (LocalRAG's grounding prompt applies). The sources
 * are appended to the answer text and returned as the extra fields {@code sources} and {@code
 * citations}. Unknown request fields (temperature, ...) are accepted and ignored, as OpenAI clients
 * send many.
 */
final class OpenAiRoutes {

    private final ObjectMapper json;
    private final Function<String, ServedCollection> collections;
    private final Supplier<List<ServedCollection>> all;
    private final QueryService service;
    private final QueryRoutes queryRoutes;
    private final long created = System.currentTimeMillis() / 1000;

    OpenAiRoutes(
            ObjectMapper json,
            Function<String, ServedCollection> collections,
            Supplier<List<ServedCollection>> all,
            QueryService service,
            QueryRoutes queryRoutes) {
        this.json = json;
        this.collections = collections;
        this.all = all;
        this.service = service;
        this.queryRoutes = queryRoutes;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/models", this::models);
        routes.post("/v1/chat/completions", this::chat);
    }

    private void models(Context ctx) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (ServedCollection c : all.get()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.name());
            m.put("object", "model");
            m.put("created", created);
            m.put("owned_by", "localrag");
            data.add(m);
        }
        ctx.json(Map.of("object", "list", "data", data));
    }

    private void chat(Context ctx) {
        JsonBody body = JsonBody.parse(json, ctx.bodyAsBytes());
        String model = body.optionalString("model");
        ServedCollection collection = collections.apply(model);
        JsonNode messages = body.node("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.badRequest("Field \"messages\" must be a non-empty array of {role, content}.");
        }
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            String content = content(m.get("content"), i);
            switch (role) {
                case "user" -> turns.add(Turn.user(content));
                case "assistant" -> turns.add(Turn.assistant(content));
                case "system", "developer", "tool" -> {
                    /* LocalRAG's own grounding prompt is the system prompt */
                }
                default ->
                    throw ApiException.badRequest("messages[" + i + "].role \"" + role
                            + "\" is not one of system, developer, user, assistant, tool.");
            }
        }
        int last = turns.size() - 1;
        while (last >= 0 && turns.get(last).role() != Turn.Role.USER) {
            last--;
        }
        if (last < 0 || turns.get(last).content().isBlank()) {
            throw ApiException.badRequest("messages must contain a user message with the question.");
        }
        List<Turn> history = turns.subList(0, last);
        if (history.size() > QueryRoutes.MAX_HISTORY) {
            history = history.subList(history.size() - QueryRoutes.MAX_HISTORY, history.size());
        }
        QueryService.Query q = new QueryService.Query(
                collection,
                turns.get(last).content(),
                Math.min(QueryRoutes.MAX_K, collection.config().topK()),
                SearchMode.HYBRID,
                QueryService.PathFilter.NONE,
                List.copyOf(history));
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long now = System.currentTimeMillis() / 1000;
        if (body.optionalBoolean("stream", false)) {
            stream(ctx, q, id, now);
        } else {
            QueryService.Result r = service.answer(q, new QueryService.Listener() {}, new RequestCancellation());
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", "assistant");
            message.put("content", r.answer().text() + sourcesFooter(r));
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("message", message);
            choice.put("finish_reason", "stop");
            Map<String, Object> response = base(id, "chat.completion", now, collection.name());
            response.put("choices", List.of(choice));
            response.put("usage", usage(r));
            response.put("sources", QueryService.sourcesJson(r.answer().sources()));
            response.put("citations", QueryService.citationsJson(r.answer().citations()));
            ctx.json(response);
        }
    }

    private void stream(Context ctx, QueryService.Query q, String id, long now) {
        RequestCancellation cancellation = new RequestCancellation();
        SseStream sse = new SseStream(ctx, json, cancellation);
        String model = q.collection().name();
        try {
            QueryService.Result r = service.answer(
                    q,
                    new QueryService.Listener() {
                        @Override
                        public void onAdmitted() {
                            sse.data(chunk(id, now, model, Map.of("role", "assistant", "content", ""), null));
                        }

                        @Override
                        public void onSources(List<Source> sources) {}

                        @Override
                        public void onToken(String token) {
                            sse.data(chunk(id, now, model, Map.of("content", token), null));
                        }
                    },
                    cancellation);
            String tail = (r.timings().tokens() == 0 ? r.answer().text() : "") + sourcesFooter(r);
            if (!tail.isEmpty()) {
                sse.data(chunk(id, now, model, Map.of("content", tail), null));
            }
            Map<String, Object> last = chunk(id, now, model, Map.of(), "stop");
            last.put("usage", usage(r));
            last.put("sources", QueryService.sourcesJson(r.answer().sources()));
            last.put("citations", QueryService.citationsJson(r.answer().citations()));
            sse.data(last);
            sse.data("[DONE]");
        } catch (RuntimeException e) {
            if (!sse.isOpen()) {
                throw e;
            }
            queryRoutes.streamError(sse, e);
        }
    }

    private static Map<String, Object> chunk(
            String id, long created, String model, Map<String, Object> delta, String finishReason) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finishReason);
        Map<String, Object> m = base(id, "chat.completion.chunk", created, model);
        m.put("choices", List.of(choice));
        return m;
    }

    private static Map<String, Object> base(String id, String object, long created, String model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", object);
        m.put("created", created);
        m.put("model", model);
        return m;
    }

    private static Map<String, Object> usage(QueryService.Result r) {
        return Map.of(
                "prompt_tokens",
                0,
                "completion_tokens",
                r.timings().tokens(),
                "total_tokens",
                r.timings().tokens());
    }

    /** "Sources:" and the cited sources (all retrieved ones when the answer cites none). */
    static String sourcesFooter(QueryService.Result r) {
        List<Source> sources = r.answer().sources();
        if (sources.isEmpty()) {
            return "";
        }
        java.util.Set<Integer> cited = new java.util.HashSet<>();
        r.answer().citations().forEach(c -> cited.add(c.n()));
        StringBuilder out = new StringBuilder("\n\nSources:");
        for (Source s : sources) {
            if (cited.isEmpty() || cited.contains(s.n())) {
                out.append("\n[").append(s.n()).append("] ");
                if (!s.title().isBlank()) {
                    out.append(s.title()).append(" — ");
                }
                out.append(s.path()).append(" (chunk ").append(s.chunk()).append(')');
            }
        }
        return out.toString();
    }

    private static String content(JsonNode content, int i) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) { // [{type: "text", text: "..."}, {type: "image_url", ...}]
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("type").asText().equals("text")) {
                    text.append(text.isEmpty() ? "" : "\n")
                            .append(part.path("text").asText());
                }
            }
            return text.toString();
        }
        throw ApiException.badRequest("messages[" + i + "].content must be a string or an array of parts.");
    }
}
