package dev.localrag.datasets;

import dev.localrag.core.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranking metrics as BEIR computes them with trec_eval / pytrec_eval: graded gain equal to the
 * judgment, log2 discount, ideal ranking from all judged documents; a document is relevant when its
 * grade is above 0. Ranked ids after the first occurrence of an id are ignored.
 */
public final class Metrics {

    private Metrics() {}

    /** nDCG@k: DCG of the top k over the DCG of the best possible top k. 0 when nothing is relevant. */
    public static double ndcg(List<String> ranked, Map<String, Integer> relevance, int k) {
        Checks.positive(k, "k");
        List<String> top = top(ranked, k);
        double dcg = 0;
        for (int i = 0; i < top.size(); i++) {
            int grade = Math.max(0, relevance.getOrDefault(top.get(i), 0));
            dcg += grade / log2(i + 2);
        }
        List<Integer> ideal = relevance.values().stream()
                .filter(g -> g > 0)
                .sorted((a, b) -> b - a)
                .limit(k)
                .toList();
        double idcg = 0;
        for (int i = 0; i < ideal.size(); i++) {
            idcg += ideal.get(i) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    /** Recall@k: relevant documents in the top k over all relevant documents. 0 when none is relevant. */
    public static double recall(List<String> ranked, Map<String, Integer> relevance, int k) {
        Checks.positive(k, "k");
        long relevant = relevance.values().stream().filter(g -> g > 0).count();
        if (relevant == 0) {
            return 0;
        }
        long found = top(ranked, k).stream()
                .filter(id -> relevance.getOrDefault(id, 0) > 0)
                .count();
        return (double) found / relevant;
    }

    /** MRR@k for one query: 1 / rank of the first relevant document in the top k, else 0. */
    public static double reciprocalRank(List<String> ranked, Map<String, Integer> relevance, int k) {
        Checks.positive(k, "k");
        List<String> top = top(ranked, k);
        for (int i = 0; i < top.size(); i++) {
            if (relevance.getOrDefault(top.get(i), 0) > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    private static List<String> top(List<String> ranked, int k) {
        Set<String> seen = new HashSet<>();
        return ranked.stream().filter(seen::add).limit(k).toList();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
