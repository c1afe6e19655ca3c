package dev.localrag.core.answer;

import dev.localrag.core.Checks;
import dev.localrag.core.index.SearchMode;
import java.util.List;

/**
 * A question and how to answer it. Build with {@link #of(String)} and the {@code with} methods.
 *
 * @param question the question
 * @param history earlier turns of the conversation, oldest first
 * @param mode retrieval mode
 * @param k how many chunks to retrieve
 * @param showThinking pass the model's {@code <think>} text to the handler
 * @param cancellation stops the answer in progress
 */
public record AnswerRequest(
        String question, List<Turn> history, SearchMode mode, int k, boolean showThinking, Cancellation cancellation) {

    public static final int DEFAULT_K = 6;

    public AnswerRequest {
        Checks.notBlank(question, "question");
        history = List.copyOf(Checks.notNull(history, "history"));
        Checks.notNull(mode, "mode");
        Checks.between(k, 1, 1000, "k");
        Checks.notNull(cancellation, "cancellation");
    }

    public static AnswerRequest of(String question) {
        return new AnswerRequest(question, List.of(), SearchMode.HYBRID, DEFAULT_K, false, Cancellation.none());
    }

    public AnswerRequest withHistory(List<Turn> turns) {
        return new AnswerRequest(question, turns, mode, k, showThinking, cancellation);
    }

    public AnswerRequest withMode(SearchMode m) {
        return new AnswerRequest(question, history, m, k, showThinking, cancellation);
    }

    public AnswerRequest withK(int n) {
        return new AnswerRequest(question, history, mode, n, showThinking, cancellation);
    }

    public AnswerRequest withShowThinking(boolean show) {
        return new AnswerRequest(question, history, mode, k, show, cancellation);
    }

    public AnswerRequest withCancellation(Cancellation c) {
        return new AnswerRequest(question, history, mode, k, showThinking, c);
    }
}
