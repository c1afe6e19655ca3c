package dev.localrag.core.retrieval;

import dev.localrag.core.Checks;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SearchRequest;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.core.rerank.Reranker;
import java.util.List;

/** Finds the chunks that best match a question. */
public final class Retriever {

    private static final int RELEVANCE_PROBE_K = 20;

    /** Candidates a reranking retrieval hands the reranker when not told otherwise. */
    public static final int DEFAULT_RERANK_CANDIDATES = 30;

    private final VectorIndex index;
    private final Embedder embedder;
    private final Reranker reranker;
    private final int rerankCandidates;

    public Retriever(VectorIndex index, Embedder embedder) {
        this(index, embedder, null, 0);
    }

    private Retriever(VectorIndex index, Embedder embedder, Reranker reranker, int rerankCandidates) {
        this.index = Checks.notNull(index, "index");
        this.embedder = Checks.notNull(embedder, "embedder");
        if (!embedder.spec().equals(index.manifest().embedder())) {
            throw new IllegalArgumentException("embedder " + embedder.spec() + " does not match index embedder "
                    + index.manifest().embedder());
        }
        this.reranker = reranker;
        this.rerankCandidates = rerankCandidates;
    }

    /**
     * A retriever that fetches {@code max(k, candidates)} chunks and lets {@code reranker} pick and
     * order the best {@code k} (their scores become the reranker's relevance).
     */
    public Retriever reranking(Reranker reranker, int candidates) {
        Checks.notNull(reranker, "reranker");
        Checks.positive(candidates, "candidates");
        return new Retriever(index, embedder, reranker, candidates);
    }

    private List<SearchHit> search(String query, SearchRequest request) {
        if (request.mode() == SearchMode.KEYWORD && query.isBlank()) {
            return List.of();
        }
        if (reranker == null) {
            return index.search(request);
        }
        int k = request.k();
        List<SearchHit> candidates = index.search(
                request.toBuilder().k(Math.max(k, rerankCandidates)).build());
        return reranker.rerank(query, candidates, k);
    }

    public List<SearchHit> retrieve(String query, SearchMode mode, int k) {
        return retrieve(query, SearchRequest.builder().mode(mode).k(k));
    }

    /** Like {@link #retrieve}, and also how similar the nearest chunk is (for "not found" answers). */
    public Retrieval retrieveScored(String query, SearchMode mode, int k) {
        return retrieveScored(query, SearchRequest.builder().mode(mode).k(k));
    }

    /**
     * Retrieves with every option of {@code request} (filter, candidates, ...), and also how similar
     * the nearest chunk that passes the filter is (for "not found" answers); {@code request}'s text
     * and vector are set from {@code query}.
     */
    public Retrieval retrieveScored(String query, SearchRequest.Builder request) {
        Checks.notBlank(query, "query");
        Checks.notNull(request, "request");
        long start = System.nanoTime();
        SearchMode mode = request.mode();
        if (mode == SearchMode.KEYWORD) {
            List<SearchHit> hits =
                    search(query, request.text(query).vector(null).build());
            return new Retrieval(hits, Double.NaN, (System.nanoTime() - start) / 1_000_000);
        }
        float[] vector = embedder.embedQuery(query);
        SearchRequest search = request.text(query).vector(vector).build();
        List<SearchHit> hits = search(query, search);
        // HNSW explores k candidates: a k=1 search is greedy and can stop at a poor local optimum.
        // A min-score may have dropped the nearest chunk, and a reranker reorders by its own score:
        // then probe the vector search itself.
        List<SearchHit> nearest = mode == SearchMode.VECTOR
                        && search.k() >= RELEVANCE_PROBE_K
                        && search.minScore() == 0
                        && reranker == null
                ? hits
                : index.search(SearchRequest.builder()
                        .mode(SearchMode.VECTOR)
                        .text(query)
                        .vector(vector)
                        .k(RELEVANCE_PROBE_K)
                        .filter(search.filter())
                        .candidates(search.candidates())
                        .build());
        // Lucene scores DOT_PRODUCT as (1 + dot) / 2; vectors are unit length, so dot = cosine.
        double best = nearest.isEmpty() ? -1 : 2 * nearest.getFirst().score() - 1;
        return new Retrieval(hits, best, (System.nanoTime() - start) / 1_000_000);
    }

    public dev.localrag.core.embed.EmbedderSpec embedder() {
        return embedder.spec();
    }

    /**
     * Retrieves with every option of a {@link SearchRequest} (filter, min-score, per-document cap,
     * fusion): {@code request}'s text and vector are set from {@code query}.
     */
    public List<SearchHit> retrieve(String query, SearchRequest.Builder request) {
        Checks.notBlank(query, "query");
        Checks.notNull(request, "request");
        SearchMode mode = request.mode();
        return search(
                query,
                request.text(query)
                        .vector(mode == SearchMode.KEYWORD ? null : embedder.embedQuery(query))
                        .build());
    }
}
