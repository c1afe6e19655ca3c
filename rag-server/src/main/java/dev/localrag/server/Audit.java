package dev.localrag.server;

import dev.localrag.runtime.AuditLog;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** Who asked for a write, as the audit log names them: the API key's fingerprint and the client. */
record Audit(String actor, String client, String route) {

    /** The context attribute that holds the authenticated actor. */
    static final String ACTOR = "localrag.actor";

    static Audit of(Context ctx) {
        String actor = ctx.attribute(ACTOR);
        io.javalin.router.Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        return new Audit(
                actor == null ? "anonymous" : actor,
                ctx.ip(),
                ctx.method().name() + " " + (endpoint == null ? ctx.path() : endpoint.path));
    }

    AuditLog.Entry entry(ServedCollection collection, List<String> paths, String outcome, Map<String, Object> counts) {
        return new AuditLog.Entry(
                actor,
                client,
                route,
                collection.name(),
                collection.config().indexDir().toString(),
                paths,
                outcome,
                counts);
    }
}
