package dev.localrag.core;

/**
 * A model server failed in a way that usually passes: HTTP 5xx or 429, a reset connection, a timeout
 * before the first token. Clients retry these (bounded, with backoff) before giving up.
 */
public class TransientModelException extends ModelUnavailableException {

    public TransientModelException(String message) {
        super(message);
    }

    public TransientModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
