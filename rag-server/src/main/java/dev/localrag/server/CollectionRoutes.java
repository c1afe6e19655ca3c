package dev.localrag.server;

import dev.localrag.core.index.IndexStats;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /v1/collections}: the served collections with their sizes and defaults, and what an
 * upload may be, so a client (the web UI) can offer the right choices before it sends anything.
 */
final class CollectionRoutes {

    private final Supplier<List<ServedCollection>> collections;
    private final ServerConfig config;

    CollectionRoutes(Supplier<List<ServedCollection>> collections, ServerConfig config) {
        this.collections = collections;
        this.config = config;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/collections", this::list);
    }

    private void list(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServedCollection c : collections.get()) {
            IndexStats stats = c.index().stats();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("default", c.name().equals(config.defaultCollection()));
            m.put("documents", stats.documents());
            m.put("chunks", stats.chunks());
            m.put("topK", Math.min(QueryRoutes.MAX_K, c.config().topK()));
            m.put("chatModel", c.config().ollama().chatModel().toString());
            out.add(m);
        }
        Map<String, Object> upload = new LinkedHashMap<>();
        upload.put("maxBytes", config.maxUploadBytes());
        upload.put("types", config.uploadTypes().stream().sorted().toList());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("collections", out);
        body.put("upload", upload);
        ctx.json(body);
    }
}
