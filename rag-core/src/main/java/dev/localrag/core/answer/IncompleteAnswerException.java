package dev.localrag.core.answer;

import dev.localrag.core.ModelUnavailableException;

/** The chat model's stream broke after it had started answering; {@link #partial()} holds what came. */
public class IncompleteAnswerException extends ModelUnavailableException {

    private final transient Answer partial;

    public IncompleteAnswerException(String message, Answer partial, Throwable cause) {
        super(message, cause);
        this.partial = partial;
    }

    /** The answer so far, marked incomplete. */
    public Answer partial() {
        return partial;
    }
}
