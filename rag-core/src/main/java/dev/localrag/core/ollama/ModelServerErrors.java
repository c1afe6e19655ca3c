package dev.localrag.core.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.LocalRagException;
import dev.localrag.core.ModelNotFoundException;
import dev.localrag.core.ModelRequestException;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.TransientModelException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/**
 * The one place where model-server failures become LocalRAG exceptions, each message naming the
 * knob to turn. Used by the Ollama client and by the OpenAI-compatible provider.
 *
 * <ul>
 *   <li>connection refused: {@link ModelUnavailableException} "Ollama is not running at URL -- start
 *       it with `ollama serve`" (not retried: nothing is listening)
 *   <li>404 / model not found: {@link ModelNotFoundException} "model X is not pulled -- run `ollama
 *       pull X`"
 *   <li>5xx, 429, reset connection, timeout before the first token: {@link TransientModelException}
 *       (retried with backoff)
 *   <li>401 / 403: {@link ConfigurationException} naming {@code ollama.headers}
 *   <li>other 4xx: {@link ModelRequestException} (not retried)
 * </ul>
 */
public final class ModelServerErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which kind of server, for the hints: Ollama's native API or an OpenAI-compatible one. */
    public enum Dialect {
        OLLAMA,
        OPENAI
    }

    private ModelServerErrors() {}

    /** True for failures worth retrying right away (with backoff). */
    public static boolean isRetriable(Throwable e) {
        return e instanceof TransientModelException;
    }

    /**
     * Maps an HTTP error answer.
     *
     * @param what what was being done, e.g. "embedding with qwen3-embedding:0.6b-q8_0"
     * @param model the model the request named, or null
     */
    public static LocalRagException forStatus(
            Dialect dialect, URI baseUrl, int status, String body, String model, String what) {
        String detail = errorText(body);
        String server = serverName(dialect) + " at " + baseUrl;
        if (status == 401 || status == 403) {
            return new ConfigurationException(server + " refused " + what + " with HTTP " + status + " ("
                    + detail + "). It needs credentials: set the header your proxy expects under "
                    + (dialect == Dialect.OPENAI
                            ? "the OPENAI_API_KEY environment variable"
                            : "ollama.headers in the config file (e.g. Authorization: \"Bearer ${OLLAMA_TOKEN}\")")
                    + ".");
        }
        if (status == 404 && model != null && looksLikeMissingModel(detail)) {
            return modelNotFound(dialect, baseUrl, model);
        }
        if (status == 404) {
            return new ModelRequestException(
                    status,
                    server + " answered " + what + " with HTTP 404 (" + detail + "): is the URL right? "
                            + (dialect == Dialect.OLLAMA
                                    ? "OLLAMA_HOST / ollama.host must point at Ollama itself (no extra path)"
                                    : "an OpenAI-compatible URL usually ends in /v1"));
        }
        if (status == 429 || status >= 500) {
            return new TransientModelException(server + " failed " + what + " with HTTP " + status + ": " + detail
                    + (status == 429 ? " (too busy: lower ollama.maxInFlight)" : ""));
        }
        return new ModelRequestException(status, server + " rejected " + what + " with HTTP " + status + ": " + detail);
    }

    /** The model is not on the server. */
    public static ModelNotFoundException modelNotFound(Dialect dialect, URI baseUrl, String model) {
        if (dialect == Dialect.OPENAI) {
            return new ModelNotFoundException(
                    model,
                    "model " + model + " is not available at " + baseUrl
                            + " -- check the model name in the openai:MODEL@URL spec");
        }
        return new ModelNotFoundException(
                model,
                "model " + model + " is not pulled — run `ollama pull " + model
                        + "` (or pass --pull / set ollama.autoPull: true to pull it automatically)");
    }

    /**
     * Maps an I/O failure.
     *
     * @param afterFirstToken whether part of the answer had already arrived
     */
    public static LocalRagException forIo(Dialect dialect, URI baseUrl, IOException e, String what) {
        if (isRefused(e)) {
            return notRunning(dialect, baseUrl, e);
        }
        if (e instanceof HttpTimeoutException) {
            return new TransientModelException(
                    serverName(dialect) + " at " + baseUrl + " did not answer " + what + " in time (" + e.getMessage()
                            + "; raise ollama.firstTokenTimeoutSeconds if the model is slow to load)",
                    e);
        }
        return new TransientModelException(
                serverName(dialect) + " at " + baseUrl + ": connection failed during " + what + " (" + describe(e)
                        + ")",
                e);
    }

    /** Nothing listens at the URL. */
    public static ModelUnavailableException notRunning(Dialect dialect, URI baseUrl, Throwable cause) {
        if (dialect == Dialect.OPENAI) {
            return new ModelUnavailableException(
                    "The OpenAI-compatible server is not running at " + baseUrl
                            + " -- start it or fix the URL in the openai:MODEL@URL spec",
                    cause);
        }
        return new ModelUnavailableException(
                "Ollama is not running at " + baseUrl
                        + " — start it with `ollama serve` (or set OLLAMA_HOST / ollama.host)",
                cause);
    }

    /** Maps anything a LangChain4j model threw (the OpenAI-compatible provider). */
    public static LocalRagException forLangChain4j(Dialect dialect, URI baseUrl, String model, Throwable error) {
        Throwable e = error;
        while (e != null) {
            if (e instanceof LocalRagException lre) {
                return lre;
            }
            if (e instanceof dev.langchain4j.exception.HttpException http) {
                return forStatus(dialect, baseUrl, http.statusCode(), http.getMessage(), model, "the request");
            }
            if (e instanceof IOException io) {
                return forIo(dialect, baseUrl, io, "the request");
            }
            if (e instanceof UnresolvedAddressException) {
                return notRunning(dialect, baseUrl, e);
            }
            if (e.getCause() == e) {
                break;
            }
            e = e.getCause();
        }
        String m = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (m.toLowerCase(Locale.ROOT).contains("connection refused")) {
            return notRunning(dialect, baseUrl, error);
        }
        return new TransientModelException(serverName(dialect) + " at " + baseUrl + " failed: " + m, error);
    }

    static boolean isRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof HttpConnectTimeoutException)) {
                return true;
            }
            if (t instanceof UnresolvedAddressException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Ollama answers {@code {"error": "..."}}; OpenAI-style servers {@code {"error": {"message": ...}}}. */
    static String errorText(String body) {
        if (body == null || body.isBlank()) {
            return "no details";
        }
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode error = n.path("error");
            if (error.isTextual()) {
                return error.asText();
            }
            if (error.path("message").isTextual()) {
                return error.path("message").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: show it as it is, shortened
        }
        String s = body.strip();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static boolean looksLikeMissingModel(String detail) {
        String d = detail.toLowerCase(Locale.ROOT);
        return d.contains("model")
                && (d.contains("not found") || d.contains("does not exist") || d.contains("no such"));
    }

    private static String serverName(Dialect dialect) {
        return dialect == Dialect.OLLAMA ? "Ollama" : "The OpenAI-compatible server";
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
