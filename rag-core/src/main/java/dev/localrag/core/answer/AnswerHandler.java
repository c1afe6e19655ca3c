package dev.localrag.core.answer;

import java.util.List;

/** Receives an answer as it is made: sources first, then tokens, then the whole answer. */
public interface AnswerHandler {

    /** The sources the answer may cite, numbered [1]..[n]. */
    default void onRetrieved(List<Source> sources) {}

    /** The next piece of the answer text. */
    default void onToken(String token) {}

    /** The whole answer; the last call on success. */
    default void onComplete(Answer answer) {}

    /**
     * The answer broke off after some of it had streamed (the connection dropped, the server failed,
     * the caller cancelled): {@code partialText} is incomplete and must be shown as such. The last
     * call on that path; {@link AnswerService#ask} then throws {@code error}.
     */
    default void onError(dev.localrag.core.LocalRagException error, String partialText) {}
}
