package dev.localrag.server;

import dev.localrag.core.LocalRagException;

/**
 * A request the server answers with an error: sent as {@code {"error":{"code","message"}}} with
 * {@link #status()}.
 */
public class ApiException extends LocalRagException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request", message);
    }

    static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }
}
