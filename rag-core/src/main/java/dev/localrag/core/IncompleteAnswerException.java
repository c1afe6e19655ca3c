package dev.localrag.core;

/**
 * A streamed answer stopped before the model said it was done (the connection dropped, the server
 * sent an error, a token took longer than the idle timeout, or the caller cancelled). {@link
 * #partialText()} is what arrived; it is never passed off as a complete answer.
 */
public class IncompleteAnswerException extends ModelUnavailableException {

    private final String partialText;

    public IncompleteAnswerException(String message, String partialText, Throwable cause) {
        super(message, cause);
        this.partialText = partialText == null ? "" : partialText;
    }

    /** The text streamed before the failure. */
    public String partialText() {
        return partialText;
    }
}
