package dev.localrag.datasets;

/**
 * Mean metrics of one retrieval setting over the evaluated queries.
 *
 * @param mode the setting, e.g. {@code hybrid}
 * @param queries queries evaluated
 * @param k cutoff of nDCG, Recall and MRR (usually 10)
 * @param ndcg mean nDCG@k
 * @param recall mean Recall@k
 * @param recall100 mean Recall@100
 * @param mrr mean MRR@k
 * @param queryMillis total time for the queries: query embedding (when used) plus search
 */
public record ModeResult(
        String mode, int queries, int k, double ndcg, double recall, double recall100, double mrr, long queryMillis) {

    /** Mean milliseconds per query. */
    public double meanQueryMillis() {
        return queries == 0 ? 0 : (double) queryMillis / queries;
    }
}
