package dev.localrag.core.testing;

import dev.localrag.core.rerank.Reranker;
import java.util.ArrayList;
import java.util.List;

/**
 * A reranker for tests that scores a passage by its length: the longest first, whatever retrieval
 * said. Records how many passages each call scored.
 */
public final class LongestFirstReranker implements Reranker {

    /** The number of passages of each {@link #score} call, in call order. */
    public final List<Integer> batchSizes = new ArrayList<>();

    @Override
    public List<Ranked> score(String query, List<String> documents) {
        batchSizes.add(documents.size());
        List<Ranked> out = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            out.add(new Ranked(i, documents.get(i).length()));
        }
        out.sort((a, b) -> Double.compare(b.relevance(), a.relevance()));
        return out;
    }

    @Override
    public String describe() {
        return "longest-first";
    }
}
