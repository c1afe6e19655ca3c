package dev.localrag.core.answer;

import dev.localrag.core.IncompleteAnswerException;

/**
 * The chat model's stream broke after it had started answering. Besides the partial text, {@link
 * #partial()} is the whole {@link Answer} so far -- sources, citations of what was said -- marked
 * incomplete.
 */
public class PartialAnswerException extends IncompleteAnswerException {

    private final transient Answer partial;

    public PartialAnswerException(String message, Answer partial, Throwable cause) {
        super(message, partial.text(), cause);
        this.partial = partial;
    }

    /** The answer so far, marked incomplete. */
    public Answer partial() {
        return partial;
    }
}
