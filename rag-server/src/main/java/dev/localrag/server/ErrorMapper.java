package dev.localrag.server;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.ModelNotFoundException;
import dev.localrag.core.ModelProtocolException;
import dev.localrag.core.ModelRequestException;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.OperationCancelledException;
import dev.localrag.core.answer.PartialAnswerException;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns any exception into {@code {"error":{"code","message"}}} and a status. Clients never see a
 * stack trace: unexpected failures are logged here with an incident id that the response names.
 */
final class ErrorMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    record Mapped(int status, String code, String message) {}

    /**
     * The status and body for {@code e}: client errors (4xx) are logged as one WARN line, server
     * errors (5xx) with their stack trace and an incident id.
     */
    Mapped map(Throwable e) {
        Mapped m = classify(e);
        if (m.status() >= 400 && m.status() < 500 && m.status() != 499) {
            LOG.warn("HTTP {} {}: {}", m.status(), m.code(), m.message());
        }
        return m;
    }

    private Mapped classify(Throwable e) {
        if (e instanceof ApiException api) {
            return new Mapped(api.status(), api.code(), api.getMessage());
        }
        if (e instanceof RequestCancellation.CancelledException c) {
            return c.reason() == RequestCancellation.Reason.SHUTDOWN
                    ? new Mapped(
                            503, "shutting_down", "The server is shutting down; retry on another instance or later.")
                    : new Mapped(499, "client_closed", "The client closed the connection.");
        }
        if (e instanceof OperationCancelledException) {
            // the request's thread was interrupted by someone else than its own cancellation: the server stops
            return new Mapped(503, "shutting_down", "The server is shutting down; retry on another instance or later.");
        }
        if (e instanceof PartialAnswerException partial) {
            // the cause names I/O details (exception classes) that clients are not shown: the log has them
            LOG.warn("An answer stopped before it was complete: {}", e.getMessage());
            String model = partial.partial().model();
            return new Mapped(
                    503,
                    "model_unavailable",
                    "The answer" + (model.isEmpty() ? "" : " from " + model)
                            + " stopped before it was complete: the chat model's stream broke. Retry the question.");
        }
        if (e instanceof dev.localrag.runtime.AuditLog.UnavailableException) {
            LOG.error("{}", e.getMessage());
            return new Mapped(503, "audit_unavailable", e.getMessage());
        }
        if (e instanceof ModelUnavailableException) {
            return new Mapped(503, "model_unavailable", e.getMessage());
        }
        if (e instanceof ModelNotFoundException) { // the operator must pull the model; answers fall back
            return new Mapped(503, "model_unavailable", e.getMessage());
        }
        if (e instanceof ModelRequestException || e instanceof ModelProtocolException) {
            return new Mapped(502, "model_error", e.getMessage()); // the model server refused or garbled a request
        }
        if (e instanceof ConfigurationException || e instanceof IllegalArgumentException) {
            return new Mapped(400, "invalid_request", e.getMessage());
        }
        if (e instanceof HttpResponseException h) {
            return forStatus(h.getStatus(), h.getMessage());
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof IllegalStateException && message.startsWith("max ") && message.contains("exceeded")) {
                // Jetty's multipart parser hit the upload limit (a body sent without Content-Length)
                return new Mapped(413, "payload_too_large", "The upload is too large: " + message + " bytes.");
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
                return forStatus(h.getCode(), h.getReason());
            }
        }
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("Unexpected error, incident {}", incident, e);
        return new Mapped(500, "internal_error", "Internal error (incident " + incident + "; see the server log).");
    }

    Map<String, Object> body(Throwable e) {
        return body(map(e));
    }

    static Map<String, Object> body(Mapped m) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", m.code());
        error.put("message", m.message());
        return Map.of("error", error);
    }

    /** The error for a bare HTTP status and its reason (from Javalin or Jetty). */
    static Mapped forStatus(int status, String reason) {
        return new Mapped(status, codeFor(status), messageFor(status, reason));
    }

    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "overloaded";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
    }

    private static String messageFor(int status, String message) {
        return switch (status) {
            case 404 -> "No such endpoint. See /openapi.json for the API.";
            case 405 -> "This endpoint does not accept that method. See /openapi.json.";
            case 413 -> "The request body is too large.";
            case 414 -> "The request URI is too long.";
            case 431 -> "The request headers are too large.";
            default ->
                message == null || message.isBlank()
                        ? "HTTP " + status
                        : status == 400 ? "Bad request: " + message : message;
        };
    }
}
