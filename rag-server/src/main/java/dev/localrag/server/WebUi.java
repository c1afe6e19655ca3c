package dev.localrag.server;

import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web UI: {@code GET /} is the chat page, {@code /ui/*} its ES modules, CSS and vendored
 * libraries (classpath {@value #DIRECTORY}). The page and its files load without an API key, as
 * they hold no data; every {@code /v1} call the page makes needs the key like any client's.
 */
final class WebUi {

    static final String DIRECTORY = "/dev/localrag/server/web";
    static final String HOSTED_PATH = "/ui";

    /**
     * Scripts, styles, images and API calls from this server only; no inline script, no plugin, no
     * framing: a passage or an answer that slipped past the sanitiser still could not run code.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    private static final Map<String, String> HEADERS = Map.of(
            "Cache-Control", "no-cache",
            "X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "Referrer-Policy", "no-referrer");

    private final byte[] page;

    WebUi() {
        try (InputStream in = WebUi.class.getResourceAsStream(DIRECTORY + "/index.html")) {
            if (in == null) {
                throw new IllegalStateException(
                        "The web UI (" + DIRECTORY + "/index.html) is missing from the classpath");
            }
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves {@code /ui/*} from the classpath. */
    static void configure(JavalinConfig cfg) {
        cfg.staticFiles.add(files -> {
            files.hostedPath = HOSTED_PATH;
            files.directory = DIRECTORY;
            files.location = Location.CLASSPATH;
            files.headers = HEADERS;
        });
    }

    void register(RoutesConfig routes) {
        routes.get("/", this::page);
    }

    /** Whether a request may go without an API key: the page and its static files. */
    static boolean isPublic(String method, String path) {
        return (method.equals("GET") || method.equals("HEAD"))
                && (path.equals("/") || path.startsWith(HOSTED_PATH + "/"));
    }

    private void page(Context ctx) {
        HEADERS.forEach(ctx::header);
        ctx.contentType("text/html; charset=utf-8").result(page);
    }
}
