package dev.localrag.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events on a request's response. A write that fails means the client has gone: the
 * request's {@link RequestCancellation} fires and {@link RequestCancellation.CancelledException} is thrown, which
 * stops the generation feeding the stream.
 */
final class SseStream {

    private final Context ctx;
    private final ObjectMapper json;
    private final RequestCancellation cancellation;
    private ServletOutputStream out;

    SseStream(Context ctx, ObjectMapper json, RequestCancellation cancellation) {
        this.ctx = ctx;
        this.json = json;
        this.cancellation = cancellation;
    }

    /** Sends the headers; the status is 200 from here on. */
    void open() {
        if (out != null) {
            return;
        }
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no"); // proxies: do not buffer the stream
        try {
            out = ctx.res().getOutputStream();
            out.flush();
        } catch (IOException e) {
            throw gone();
        }
    }

    boolean isOpen() {
        return out != null;
    }

    /** {@code event: NAME} then {@code data: JSON}. */
    void event(String name, Object data) {
        write("event: " + name + "\ndata: " + toJson(data) + "\n\n");
    }

    /** A comment line, which clients ignore: keeps proxies from timing out and finds gone clients. */
    void comment(String text) {
        write(": " + text + "\n\n");
    }

    /** A {@code data:} line only, as OpenAI's streams send. */
    void data(Object data) {
        write("data: " + (data instanceof String s ? s : toJson(data)) + "\n\n");
    }

    private void write(String frame) {
        open();
        try {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw gone();
        }
    }

    private RequestCancellation.CancelledException gone() {
        cancellation.cancel(RequestCancellation.Reason.CLIENT_GONE);
        // a write can also fail because shutdown interrupted the answer: the first reason wins
        return new RequestCancellation.CancelledException(cancellation.reason());
    }

    private String toJson(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
