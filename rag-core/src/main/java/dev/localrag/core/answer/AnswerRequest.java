package dev.localrag.core.answer;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.Checks;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SearchRequest;
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
 * @param filter restricts retrieval to chunks whose metadata matches (applied inside the searches);
 *     null for none
 * @param candidates HNSW candidates of the vector search; 0 for the index default
 */
public record AnswerRequest(
        String question,
        List<Turn> history,
        SearchMode mode,
        int k,
        boolean showThinking,
        Cancellation cancellation,
        Filter filter,
        int candidates) {

    public static final int DEFAULT_K = 6;

    public AnswerRequest {
        Checks.notBlank(question, "question");
        history = List.copyOf(Checks.notNull(history, "history"));
        Checks.notNull(mode, "mode");
        Checks.between(k, 1, SearchRequest.MAX_K, "k");
        Checks.notNull(cancellation, "cancellation");
        Checks.between(candidates, 0, SearchRequest.MAX_CANDIDATES, "candidates");
    }

    public static AnswerRequest of(String question) {
        return new AnswerRequest(
                question, List.of(), SearchMode.HYBRID, DEFAULT_K, false, Cancellation.none(), null, 0);
    }

    public AnswerRequest withHistory(List<Turn> turns) {
        return new AnswerRequest(question, turns, mode, k, showThinking, cancellation, filter, candidates);
    }

    public AnswerRequest withMode(SearchMode m) {
        return new AnswerRequest(question, history, m, k, showThinking, cancellation, filter, candidates);
    }

    public AnswerRequest withK(int n) {
        return new AnswerRequest(question, history, mode, n, showThinking, cancellation, filter, candidates);
    }

    public AnswerRequest withShowThinking(boolean show) {
        return new AnswerRequest(question, history, mode, k, show, cancellation, filter, candidates);
    }

    /** The search this request retrieves with: its mode, k, filter and candidates. */
    public SearchRequest.Builder search() {
        return SearchRequest.builder().mode(mode).k(k).filter(filter).candidates(candidates);
    }

    public AnswerRequest withFilter(Filter f) {
        return new AnswerRequest(question, history, mode, k, showThinking, cancellation, f, candidates);
    }

    public AnswerRequest withCandidates(int n) {
        return new AnswerRequest(question, history, mode, k, showThinking, cancellation, filter, n);
    }

    public AnswerRequest withCancellation(Cancellation c) {
        return new AnswerRequest(question, history, mode, k, showThinking, c, filter, candidates);
    }
}
