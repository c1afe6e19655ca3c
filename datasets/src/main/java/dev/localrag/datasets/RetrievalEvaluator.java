package dev.localrag.datasets;

import dev.localrag.core.Checks;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.index.HybridFusion.Scored;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.core.rerank.Reranker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every judged query of a dataset against an index in each requested {@link EvalMode} and
 * averages nDCG@k, Recall@k, Recall@100 and MRR@k. Chunk hits count for their document at the
 * rank of its best chunk.
 */
public final class RetrievalEvaluator {

    /** Documents retrieved per query: enough for Recall@100. */
    static final int DEPTH = 100;

    private final VectorIndex index;
    private final Embedder embedder;
    private final int k;
    private final int chunkFactor;
    private final Map<String, float[]> queryVectors = new HashMap<>();
    private Reranker reranker;
    private int rerankCandidates;
    private final Map<String, Long> queryEmbedNanos = new HashMap<>();

    /**
     * @param chunksPerDocument how many chunks to fetch per wanted document (1 for whole-document
     *     indexes; more when documents are chunked, so that 100 distinct documents come back)
     */
    public RetrievalEvaluator(VectorIndex index, Embedder embedder, int k, int chunksPerDocument) {
        this.index = Checks.notNull(index, "index");
        this.embedder = Checks.notNull(embedder, "embedder");
        this.k = Checks.between(k, 1, DEPTH, "k");
        this.chunkFactor = Checks.positive(chunksPerDocument, "chunksPerDocument");
        if (!embedder.spec().equals(index.manifest().embedder())) {
            throw new IllegalArgumentException("embedder " + embedder.spec() + " does not match index embedder "
                    + index.manifest().embedder());
        }
    }

    /** Lets {@code MODE+rerank} modes rerank each query's top {@code candidates} passages. */
    public RetrievalEvaluator reranking(Reranker reranker, int candidates) {
        this.reranker = Checks.notNull(reranker, "reranker");
        this.rerankCandidates = Checks.positive(candidates, "candidates");
        return this;
    }

    public ModeResult evaluate(EvalMode mode, List<JudgedQuery> queries) {
        if (mode.rerank() && reranker == null) {
            throw new dev.localrag.core.ConfigurationException(
                    "--mode " + mode + " needs a reranker: pass --rerank MODEL@URL.");
        }
        double ndcg = 0;
        double recall = 0;
        double recall100 = 0;
        double mrr = 0;
        long nanos = 0;
        if (mode.usesVectors()) {
            queries.forEach(this::queryVector); // embedded once, timed per query below
        }
        for (JudgedQuery q : queries) {
            long start = System.nanoTime();
            List<String> ranked = rank(mode, q);
            nanos += System.nanoTime() - start;
            if (mode.usesVectors()) {
                nanos += queryEmbedNanos.get(q.id());
            }
            ndcg += Metrics.ndcg(ranked, q.relevance(), k);
            recall += Metrics.recall(ranked, q.relevance(), k);
            recall100 += Metrics.recall(ranked, q.relevance(), DEPTH);
            mrr += Metrics.reciprocalRank(ranked, q.relevance(), k);
        }
        int n = queries.size();
        return n == 0
                ? new ModeResult(mode.name(), 0, k, 0, 0, 0, 0, 0)
                : new ModeResult(mode.name(), n, k, ndcg / n, recall / n, recall100 / n, mrr / n, nanos / 1_000_000);
    }

    /** Document ids, best first, at most {@value #DEPTH}. */
    List<String> rank(EvalMode mode, JudgedQuery q) {
        List<String> ranked = baseRank(mode, q);
        if (!mode.rerank()) {
            return ranked;
        }
        // the top candidates' passages, reordered by the reranker, then the rest in retrieval order
        List<SearchHit> hits = search(mode.searchMode(), q);
        List<SearchHit> top = hits.subList(0, Math.min(hits.size(), rerankCandidates));
        List<String> out = ids(reranker.rerank(q.text(), top, top.size()));
        java.util.LinkedHashSet<String> merged = new java.util.LinkedHashSet<>(out);
        merged.addAll(ranked);
        List<String> all = new ArrayList<>(merged);
        return all.size() > DEPTH ? all.subList(0, DEPTH) : all;
    }

    private List<String> baseRank(EvalMode mode, JudgedQuery q) {
        if (mode.searchMode() != null) {
            return ids(search(mode.searchMode(), q));
        }
        List<String> fused = new ArrayList<>();
        for (Scored<String> s : mode.fusion()
                .fuse(scored(search(SearchMode.VECTOR, q)), scored(search(SearchMode.KEYWORD, q)), DEPTH)) {
            fused.add(s.key());
        }
        return fused.size() > DEPTH ? fused.subList(0, DEPTH) : fused;
    }

    private List<SearchHit> search(SearchMode mode, JudgedQuery q) {
        float[] vector = mode == SearchMode.KEYWORD ? null : queryVector(q);
        return index.search(mode, q.text(), vector, DEPTH * chunkFactor);
    }

    private float[] queryVector(JudgedQuery q) {
        float[] v = queryVectors.get(q.id());
        if (v == null) {
            long start = System.nanoTime();
            v = embedder.embedQuery(q.text());
            queryEmbedNanos.put(q.id(), System.nanoTime() - start);
            queryVectors.put(q.id(), v);
        }
        return v;
    }

    private static List<String> ids(List<SearchHit> hits) {
        List<String> out = new ArrayList<>();
        for (Scored<String> s : scored(hits)) {
            out.add(s.key());
        }
        return out.size() > DEPTH ? out.subList(0, DEPTH) : out;
    }

    /** One entry per document, at its best chunk's rank and score. */
    private static List<Scored<String>> scored(List<SearchHit> hits) {
        Map<String, Double> best = new LinkedHashMap<>();
        for (SearchHit h : hits) {
            best.putIfAbsent(h.documentId(), h.score());
        }
        List<Scored<String>> out = new ArrayList<>(best.size());
        best.forEach((id, score) -> out.add(new Scored<>(id, score)));
        return out;
    }
}
