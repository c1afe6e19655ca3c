package dev.localrag.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's error pages as {@code {"error":{"code","message"}}}: requests refused before they reach
 * Javalin (a garbage request line, a bad Content-Length, an ambiguous or too long URI, too large
 * headers) get the same JSON as every other error, never Jetty's HTML; one WARN line each.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

    private final ObjectMapper json;

    JsonErrorHandler(ObjectMapper json) {
        this.json = json;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true; // every method gets the JSON body
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        if (code == 505) { // an HTTP version the server does not speak is the client's error
            code = 400;
            message = "unsupported HTTP version (" + message + "); send HTTP/1.1";
            response.setStatus(400);
        }
        byte[] body = body(
                code, message, request.getMethod() + " " + request.getHttpURI().getPath());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason, "a malformed request"));
    }

    private byte[] body(int status, String reason, String what) {
        ErrorMapper.Mapped m = ErrorMapper.forStatus(status, reason);
        if (status >= 500) {
            LOG.error("HTTP {} for {}: {}", status, what, reason);
        } else {
            LOG.warn("HTTP {} for {}: {}", status, what, reason);
        }
        try {
            return json.writeValueAsBytes(ErrorMapper.body(m));
        } catch (JsonProcessingException e) {
            return ("{\"error\":{\"code\":\"" + m.code() + "\",\"message\":\"HTTP " + status + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
