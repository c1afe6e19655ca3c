package dev.localrag.core;

/**
 * The model server rejected a request (an HTTP 4xx other than 401/403/404/429). Not retriable: the
 * same request fails the same way.
 */
public class ModelRequestException extends LocalRagException {

    private final int status;

    public ModelRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }
}
