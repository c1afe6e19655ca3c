package dev.localrag.datasets;

import java.util.List;

/**
 * The outcome of {@code rag eval}: what was evaluated, how the index was made, and one result per
 * retrieval setting (and answers, when asked).
 *
 * @param dataset the dataset folder's name
 * @param documents corpus documents
 * @param queries judged queries evaluated
 * @param skippedEmpty judged queries skipped because their text is empty
 * @param embedder the embedder of the index
 * @param chunking the passage layout, e.g. {@code whole}
 * @param index how the index was obtained
 * @param modes one result per retrieval setting, in the order asked
 * @param answers the answer evaluation, or null when not asked
 */
public record EvalReport(
        String dataset,
        int documents,
        int queries,
        int skippedEmpty,
        String embedder,
        String chunking,
        IndexInfo index,
        List<ModeResult> modes,
        AnswerResult answers) {

    /**
     * @param dir where the cached index is
     * @param reused whether it was reused rather than built
     * @param passages indexed passages
     * @param buildMillis build time (0 when reused)
     * @param embedMillis of that, embedding time (0 when vectors were cached)
     */
    /**
     * @param hybridVectorWeight the hybrid vector weight calibrated for the index ({@link
     *     dev.localrag.core.index.HybridCalibration}), NaN when it was not (its hybrid search then
     *     uses 0.6)
     */
    public record IndexInfo(
            String dir, boolean reused, int passages, long buildMillis, long embedMillis, double hybridVectorWeight) {}

    public EvalReport {
        modes = List.copyOf(modes);
    }

    /**
     * How the index's hybrid mode compares with the better of its two parts, by nDCG@k.
     *
     * @param bestPart {@code keyword} or {@code vector}, whichever scored higher (keyword on a tie)
     * @param bestPartNdcg its nDCG@k
     * @param hybridNdcg hybrid's nDCG@k
     */
    public record HybridVsBestPart(String bestPart, double bestPartNdcg, double hybridNdcg) {
        /** Hybrid minus the best part: >= 0 when hybrid is at least as good. */
        public double delta() {
            return hybridNdcg - bestPartNdcg;
        }
    }

    /** The comparison when keyword, vector and hybrid were all evaluated, else empty. */
    public java.util.Optional<HybridVsBestPart> hybridVsBestPart() {
        ModeResult keyword = mode("keyword");
        ModeResult vector = mode("vector");
        ModeResult hybrid = mode("hybrid");
        if (keyword == null || vector == null || hybrid == null) {
            return java.util.Optional.empty();
        }
        ModeResult best = vector.ndcg() > keyword.ndcg() ? vector : keyword;
        return java.util.Optional.of(new HybridVsBestPart(best.mode(), best.ndcg(), hybrid.ndcg()));
    }

    private ModeResult mode(String name) {
        return modes.stream().filter(m -> m.mode().equals(name)).findFirst().orElse(null);
    }
}
