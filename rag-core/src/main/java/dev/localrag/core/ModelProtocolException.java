package dev.localrag.core;

/**
 * The model server answered something that is not its documented protocol (a malformed NDJSON or
 * SSE line, a missing field). The connection is closed; retrying rarely helps.
 */
public class ModelProtocolException extends LocalRagException {

    public ModelProtocolException(String message) {
        super(message);
    }

    public ModelProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
