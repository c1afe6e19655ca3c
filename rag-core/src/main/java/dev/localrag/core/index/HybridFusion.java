package dev.localrag.core.index;

import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.chunk.LinkLists;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.RandomAccess;
import java.util.function.Function;

/**
 * Merges a vector ranking and a keyword ranking into one: the single place where hybrid retrieval
 * fuses, used by the Lucene index's hybrid search, by {@code rag eval}'s experiments and by any
 * backend that fuses on the client side. Inputs are rankings of keys (chunk ids, Lucene doc
 * numbers, ...) with their scores, best first, each key at most once: vector scores as the index
 * reports them (for Lucene {@code (1 + cosine) / 2}), keyword scores BM25. No Lucene types.
 *
 * <p>Ties in the fused score keep the order of first appearance, the vector list first.
 *
 * @param method how scores are combined
 * @param vectorWeight weight of the vector side in [0, 1]; the keyword side gets {@code 1 -
 *     vectorWeight}
 * @param rrfConstant the {@code k} of reciprocal rank fusion (>= 1; ignored by the other methods)
 */
public record HybridFusion(Method method, double vectorWeight, int rrfConstant) {

    /** How scores are combined. */
    public enum Method {
        /** Reciprocal rank fusion: {@code sum w / (k + rank)}, ranks from 1; scores are ignored. */
        RRF,
        /**
         * Each list min-max normalised to [0, 1]; {@code w * vector + (1 - w) * keyword}, a key
         * missing from a list counting 0 there.
         */
        MIN_MAX,
        /**
         * Each list standardised (minus its mean, divided by its standard deviation); {@code w *
         * vector + (1 - w) * keyword}, a key missing from a list counting that list's lowest
         * z-score. A result that stands far above the rest of its own list (a rare-term keyword
         * match, a near-duplicate vector) keeps its lead; a list of near-equal scores moves little.
         */
        Z_SCORE,
        /** Experimental: z-scores, weights scaled per query by each list's top z-score. */
        Z_TOP,
        /** Experimental: z-scores, weights scaled per query by each list's gap between its first two. */
        Z_GAP
    }

    /** The rank constant of the original RRF paper. */
    public static final int RRF_K = 60;

    /**
     * LocalRAG's default hybrid fusion: z-scores, vector weight 0.6. Measured with {@code rag eval}
     * (README): the best fixed weight on SciFact (bge-small-en) and above both parts on CMRC 2018
     * (bge-small-zh); RRF and min-max scored lower on every set.
     */
    public static final HybridFusion DEFAULT = zScore(0.6);

    /**
     * How much a fused result that is all link list ({@link LinkLists#share} 1) loses: its positive
     * fused score is multiplied by {@code 1 - LINK_LIST_DAMPING * share}. Half: a "See also" list
     * that names the query's words still ranks, but below the passages that explain them.
     */
    public static final double LINK_LIST_DAMPING = 0.5;

    /** A key with its score in one ranking. */
    public record Scored<K>(K key, double score) {}

    public HybridFusion {
        Checks.notNull(method, "method");
        if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
            throw new IllegalArgumentException("vectorWeight must be between 0 and 1, but was " + vectorWeight);
        }
        Checks.positive(rrfConstant, "rrfConstant");
    }

    /** Weighted reciprocal rank fusion with constant {@code k}. */
    public static HybridFusion rrf(int k, double vectorWeight) {
        return new HybridFusion(Method.RRF, vectorWeight, k);
    }

    /** Convex combination of min-max normalised scores. */
    public static HybridFusion minMax(double vectorWeight) {
        return new HybridFusion(Method.MIN_MAX, vectorWeight, RRF_K);
    }

    /** Convex combination of z-scores. */
    public static HybridFusion zScore(double vectorWeight) {
        return new HybridFusion(Method.Z_SCORE, vectorWeight, RRF_K);
    }

    /**
     * {@code rrf:K[:W]}, {@code convex:W} (min-max), {@code zscore:W}, {@code ztop:W}, {@code
     * zgap:W} or {@code default}; W is the vector weight (RRF: 0.5 when absent).
     *
     * @throws ConfigurationException naming the spec and the accepted forms
     */
    public static HybridFusion parse(String spec) {
        String p = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
        if (p.equals("default")) {
            return DEFAULT;
        }
        String[] parts = p.split(":");
        try {
            if (parts[0].equals("rrf") && (parts.length == 2 || parts.length == 3)) {
                return rrf(Integer.parseInt(parts[1]), parts.length == 3 ? Double.parseDouble(parts[2]) : 0.5);
            }
            if (parts[0].equals("convex") && parts.length == 2) {
                return minMax(Double.parseDouble(parts[1]));
            }
            if (parts[0].equals("zscore") && parts.length == 2) {
                return zScore(Double.parseDouble(parts[1]));
            }
            if (parts[0].equals("ztop") && parts.length == 2) {
                return new HybridFusion(Method.Z_TOP, Double.parseDouble(parts[1]), RRF_K);
            }
            if (parts[0].equals("zgap") && parts.length == 2) {
                return new HybridFusion(Method.Z_GAP, Double.parseDouble(parts[1]), RRF_K);
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            // the message below says what is accepted
        }
        throw new ConfigurationException("Fusion \"" + spec + "\" is not understood. Use default, rrf:K[:W]"
                + " (K >= 1), convex:W, zscore:W, or the query-adaptive experiments ztop:W and zgap:W; W is the"
                + " vector weight in 0..1.");
    }

    /**
     * The fused ranking, best first: every key of either list once, with its fused score. The
     * lists are taken to be complete up to {@code depth}: a keyword list shorter than that means
     * nothing else matched a query term (BM25 0), which is how a keyword hit that is alone in its
     * list keeps its weight in z-score fusion.
     *
     * @param vector the vector ranking, best first
     * @param keyword the keyword ranking, best first
     * @param depth how many results each side was asked for
     */
    public <K> List<Scored<K>> fuse(List<Scored<K>> vector, List<Scored<K>> keyword, int depth) {
        Checks.notNull(vector, "vector");
        Checks.notNull(keyword, "keyword");
        Checks.positive(depth, "depth");
        int keywordZeros = Math.max(0, depth - keyword.size());
        double[] v = normalised(vector, 0);
        double[] kw = normalised(keyword, keywordZeros);
        // a key missing from a list: 0 in RRF and min-max; in z-score the list's lowest z-score, or
        // for a keyword list shorter than depth the z-score of BM25 0
        boolean z = method == Method.Z_SCORE || method == Method.Z_TOP || method == Method.Z_GAP;
        double vAbsent = z ? min(v) : 0;
        double kAbsent = !z ? 0 : keywordZeros > 0 ? kw[kw.length - 1] : min(kw);
        double w = queryWeight(v, vector.size(), kw, keyword.size(), kAbsent);
        Map<K, double[]> parts = new LinkedHashMap<>();
        for (int i = 0; i < vector.size(); i++) {
            parts.computeIfAbsent(vector.get(i).key(), x -> new double[] {vAbsent, kAbsent})[0] = v[i];
        }
        for (int i = 0; i < keyword.size(); i++) {
            parts.computeIfAbsent(keyword.get(i).key(), x -> new double[] {vAbsent, kAbsent})[1] = kw[i];
        }
        List<Scored<K>> out = new ArrayList<>(parts.size());
        parts.forEach((key, p) -> out.add(new Scored<>(key, w * p[0] + (1 - w) * p[1])));
        out.sort((a, b) -> Double.compare(b.score(), a.score())); // stable: ties keep first appearance
        return out;
    }

    /**
     * Like {@link #fuse(List, List, int)}, then each result with a positive fused score damped by how
     * much of its text is a link list ({@link #LINK_LIST_DAMPING}) and the ranking re-sorted.
     *
     * @param text a result's text, asked only for results with a positive fused score
     */
    public <K> List<Scored<K>> fuse(
            List<Scored<K>> vector, List<Scored<K>> keyword, int depth, Function<K, String> text) {
        return new ArrayList<>(damped(vector, keyword, depth, text));
    }

    /**
     * The ranking of {@link #fuse(List, List, int, Function)}, damped as it is read: a search that
     * reads its top k asks {@code text} only for the results that can still reach them, not for
     * every fused candidate. Read it while {@code text} can answer; its exceptions come from {@code
     * get}.
     */
    <K> List<Scored<K>> damped(List<Scored<K>> vector, List<Scored<K>> keyword, int depth, Function<K, String> text) {
        Checks.notNull(text, "text");
        return new DampedRanking<>(fuse(vector, keyword, depth), text);
    }

    /** {@code ranking} seen through {@code f}, each element mapped when it is read. */
    static <T, R> List<R> mapped(List<T> ranking, Function<T, R> f) {
        return new AbstractList<>() {
            @Override
            public R get(int i) {
                return f.apply(ranking.get(i));
            }

            @Override
            public int size() {
                return ranking.size();
            }
        };
    }

    /**
     * A fused ranking (best first) damped lazily. Damping only lowers a positive score, so no
     * result after the next unread one can score above that one's fused score: the best damped
     * result read so far is settled once it scores at least that much (ties keep fused order, as the
     * stable re-sort of every damped result would). The order is the same as damping every result
     * and re-sorting; texts are read only up to the positions asked for.
     */
    private static final class DampedRanking<K> extends AbstractList<Scored<K>> implements RandomAccess {

        private record Read<K>(Scored<K> damped, int fusedRank) {}

        private final List<Scored<K>> fused;
        private final Function<K, String> text;
        private final List<Scored<K>> settled = new ArrayList<>();
        private final PriorityQueue<Read<K>> read = new PriorityQueue<>((a, b) -> {
            int c = Double.compare(b.damped().score(), a.damped().score());
            return c != 0 ? c : Integer.compare(a.fusedRank(), b.fusedRank());
        });
        private int next;

        DampedRanking(List<Scored<K>> fused, Function<K, String> text) {
            this.fused = fused;
            this.text = text;
        }

        @Override
        public Scored<K> get(int i) {
            Objects.checkIndex(i, fused.size());
            while (settled.size() <= i) {
                while (next < fused.size()
                        && (read.isEmpty()
                                || Double.compare(
                                                read.peek().damped().score(),
                                                fused.get(next).score())
                                        < 0)) {
                    read.add(new Read<>(damp(fused.get(next)), next));
                    next++;
                }
                settled.add(read.poll().damped());
            }
            return settled.get(i);
        }

        @Override
        public int size() {
            return fused.size();
        }

        private Scored<K> damp(Scored<K> s) {
            double share = s.score() > 0 ? LinkLists.share(text.apply(s.key())) : 0;
            return share > 0 ? new Scored<>(s.key(), s.score() * (1 - LINK_LIST_DAMPING * share)) : s;
        }
    }

    private double queryWeight(double[] v, int nv, double[] kw, int nk, double kAbsent) {
        double cv;
        double ck;
        if (method == Method.Z_TOP) {
            cv = nv > 0 ? v[0] : 0;
            ck = nk > 0 ? kw[0] : 0;
        } else if (method == Method.Z_GAP) {
            cv = nv > 1 ? v[0] - v[1] : nv == 1 ? v[0] : 0;
            ck = nk > 1 ? kw[0] - kw[1] : nk == 1 ? kw[0] - kAbsent : 0;
        } else {
            return vectorWeight;
        }
        double a = vectorWeight * Math.max(cv, 0);
        double b = (1 - vectorWeight) * Math.max(ck, 0);
        return a + b > 0 ? a / (a + b) : vectorWeight;
    }

    /** One list's scores on the method's common scale, in list order. */
    private double[] normalised(List<? extends Scored<?>> ranking, int zeros) {
        return switch (method) {
            case RRF -> {
                double[] out = new double[ranking.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = 1.0 / (rrfConstant + i + 1);
                }
                yield out;
            }
            case MIN_MAX -> minMaxed(ranking);
            case Z_SCORE, Z_TOP, Z_GAP -> standardised(ranking, zeros);
        };
    }

    /** Scores min-max normalised to [0, 1]; all 1 when they are all equal. */
    static double[] minMaxed(List<? extends Scored<?>> ranking) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Scored<?> s : ranking) {
            min = Math.min(min, s.score());
            max = Math.max(max, s.score());
        }
        double[] out = new double[ranking.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = max > min ? (ranking.get(i).score() - min) / (max - min) : 1.0;
        }
        return out;
    }

    /**
     * Scores minus their mean, divided by their (population) standard deviation, with {@code zeros}
     * scores of 0 counted in after the list (their z-score is the last element of the result); all
     * 0 when the scores are equal.
     */
    static double[] standardised(List<? extends Scored<?>> ranking, int zeros) {
        int n = ranking.size();
        double[] out = new double[n + (zeros > 0 ? 1 : 0)];
        if (n == 0) {
            return out;
        }
        double mean = 0;
        for (Scored<?> s : ranking) {
            mean += s.score();
        }
        mean /= n + zeros;
        double var = zeros * mean * mean;
        for (Scored<?> s : ranking) {
            var += (s.score() - mean) * (s.score() - mean);
        }
        double sd = Math.sqrt(var / (n + zeros));
        for (int i = 0; i < n; i++) {
            out[i] = sd > 0 ? (ranking.get(i).score() - mean) / sd : 0;
        }
        if (zeros > 0) {
            out[n] = sd > 0 ? -mean / sd : 0;
        }
        return out;
    }

    private static double min(double[] values) {
        double min = 0;
        for (int i = 0; i < values.length; i++) {
            min = i == 0 ? values[i] : Math.min(min, values[i]);
        }
        return min;
    }

    @Override
    public String toString() {
        return switch (method) {
            case RRF -> "rrf:" + rrfConstant + ":" + vectorWeight;
            case MIN_MAX -> "convex:" + vectorWeight;
            case Z_SCORE -> "zscore:" + vectorWeight;
            case Z_TOP -> "ztop:" + vectorWeight;
            case Z_GAP -> "zgap:" + vectorWeight;
        };
    }
}
