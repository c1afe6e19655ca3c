package dev.localrag.core.rerank;

import dev.localrag.core.Checks;
import dev.localrag.core.index.SearchHit;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders retrieved passages by how well each answers a query, with a model that reads query and
 * passage together (a cross-encoder), after the index's own retrieval.
 */
public interface Reranker extends AutoCloseable {

    /** A passage's position in the list given to {@link #score} and the model's relevance for it. */
    record Ranked(int index, double relevance) {}

    /**
     * The relevance of each document to the query, best first: one entry per document (documents
     * the model did not return are left out).
     */
    List<Ranked> score(String query, List<String> documents);

    /** What this reranker is, for messages: e.g. {@code bge-reranker-v2-m3@http://localhost:8080}. */
    String describe();

    /**
     * {@code hits} reordered by the model, at most {@code k}, each with the model's relevance as its
     * score; hits the model did not score follow in their retrieval order.
     */
    default List<SearchHit> rerank(String query, List<SearchHit> hits, int k) {
        Checks.notNull(hits, "hits");
        Checks.positive(k, "k");
        if (hits.isEmpty()) {
            return List.of();
        }
        List<Ranked> ranked = score(query, hits.stream().map(SearchHit::text).toList());
        boolean[] placed = new boolean[hits.size()];
        List<SearchHit> out = new ArrayList<>(Math.min(k, hits.size()));
        for (Ranked r : ranked) {
            if (out.size() == k) {
                return out;
            }
            SearchHit h = hits.get(r.index());
            placed[r.index()] = true;
            out.add(h.withScore(r.relevance()));
        }
        for (int i = 0; i < hits.size() && out.size() < k; i++) {
            if (!placed[i]) {
                out.add(hits.get(i));
            }
        }
        return out;
    }

    @Override
    default void close() {}
}
