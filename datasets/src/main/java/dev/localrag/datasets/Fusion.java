package dev.localrag.datasets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ways to fuse a vector ranking with a keyword ranking, for experiments beyond the index's own
 * hybrid search. Inputs are document rankings, best first, each document once.
 */
public final class Fusion {

    /** A ranked document with its retrieval score. */
    public record Scored(String id, double score) {}

    private Fusion() {}

    /**
     * Weighted reciprocal rank fusion: {@code sum_i w_i / (k + rank_i)}, ranks from 1. Ties are broken
     * by first appearance (vector list first).
     */
    public static List<String> reciprocalRank(List<Scored> vector, List<Scored> keyword, int k, double vectorWeight) {
        Map<String, Double> fused = new LinkedHashMap<>();
        add(fused, vector, k, vectorWeight);
        add(fused, keyword, k, 1 - vectorWeight);
        return sorted(fused);
    }

    private static void add(Map<String, Double> fused, List<Scored> ranking, int k, double weight) {
        for (int i = 0; i < ranking.size(); i++) {
            fused.merge(ranking.get(i).id(), weight / (k + i + 1), Double::sum);
        }
    }

    /**
     * Convex combination of min-max normalised scores: {@code alpha * vector + (1 - alpha) *
     * keyword}; a document missing from a list scores 0 there.
     */
    public static List<String> convex(List<Scored> vector, List<Scored> keyword, double alpha) {
        Map<String, Double> fused = new LinkedHashMap<>();
        Map<String, Double> v = normalised(vector);
        Map<String, Double> kw = normalised(keyword);
        v.forEach((id, s) -> fused.merge(id, alpha * s, Double::sum));
        kw.forEach((id, s) -> fused.merge(id, (1 - alpha) * s, Double::sum));
        return sorted(fused);
    }

    /**
     * Convex combination of z-scored scores (each list shifted by its mean and divided by its
     * standard deviation): {@code alpha * vector + (1 - alpha) * keyword}; a document missing from a
     * list gets that list's lowest z-score.
     */
    public static List<String> zScore(List<Scored> vector, List<Scored> keyword, double alpha) {
        Map<String, Double> v = standardised(vector);
        Map<String, Double> kw = standardised(keyword);
        double vMin = v.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double kMin =
                kw.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        Map<String, Double> fused = new LinkedHashMap<>();
        for (String id : concat(vector, keyword)) {
            fused.put(id, alpha * v.getOrDefault(id, vMin) + (1 - alpha) * kw.getOrDefault(id, kMin));
        }
        return sorted(fused);
    }

    private static List<String> concat(List<Scored> a, List<Scored> b) {
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        a.forEach(s -> ids.add(s.id()));
        b.forEach(s -> ids.add(s.id()));
        return new ArrayList<>(ids);
    }

    static Map<String, Double> standardised(List<Scored> ranking) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (ranking.isEmpty()) {
            return out;
        }
        double mean = ranking.stream().mapToDouble(Scored::score).average().orElse(0);
        double var = ranking.stream()
                .mapToDouble(s -> (s.score() - mean) * (s.score() - mean))
                .average()
                .orElse(0);
        double sd = Math.sqrt(var);
        for (Scored s : ranking) {
            out.put(s.id(), sd == 0 ? 0.0 : (s.score() - mean) / sd);
        }
        return out;
    }

    static Map<String, Double> normalised(List<Scored> ranking) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (ranking.isEmpty()) {
            return out;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Scored s : ranking) {
            min = Math.min(min, s.score());
            max = Math.max(max, s.score());
        }
        double range = max - min;
        for (Scored s : ranking) {
            out.put(s.id(), range == 0 ? 1.0 : (s.score() - min) / range);
        }
        return out;
    }

    private static List<String> sorted(Map<String, Double> fused) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>(fused.entrySet());
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            order.put(entries.get(i).getKey(), i);
        }
        entries.sort((a, b) -> {
            int c = Double.compare(b.getValue(), a.getValue());
            return c != 0 ? c : Integer.compare(order.get(a.getKey()), order.get(b.getKey()));
        });
        return entries.stream().map(Map.Entry::getKey).toList();
    }
}
