package dev.localrag.core;

/** Root of every exception LocalRAG throws. Unchecked: callers handle what they can act on. */
public class LocalRagException extends RuntimeException {

    public LocalRagException(String message) {
        super(message);
    }

    public LocalRagException(String message, Throwable cause) {
        super(message, cause);
    }
}
