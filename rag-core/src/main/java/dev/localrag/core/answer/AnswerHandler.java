package dev.localrag.core.answer;

import java.util.List;

/**
 * Receives an answer as it is made: sources first, then tokens, then the whole answer -- or an
 * error. Every method may be called from another thread than the caller's.
 */
public interface AnswerHandler {

    /** The sources the answer may cite, numbered [1]..[n]. */
    default void onRetrieved(List<Source> sources) {}

    /** The next piece of the answer text. */
    default void onToken(String token) {}

    /** The next piece of the model's thinking, only when thinking is shown. */
    default void onThinking(String token) {}

    /** The whole answer; the last call on success or cancellation. */
    default void onComplete(Answer answer) {}

    /** The answer failed; the last call then. A partial answer is never passed to onComplete. */
    default void onError(Throwable error) {}
}
