package dev.localrag.core.index;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * What to retrieve: build with {@link #builder()}.
 *
 * @param mode vector, keyword or hybrid (default)
 * @param text the query text (keyword and hybrid modes)
 * @param vector the unit-length query embedding (vector and hybrid modes)
 * @param k how many chunks to return, at most
 * @param filter metadata filter applied inside the search (the kNN graph search only visits
 *     matching chunks; BM25 only scores them), or null; see {@link SourceDocument} for the keys
 * @param minScore drop hits scoring below this; scores are those of the mode: vector {@code
 *     (1 + cosine) / 2} in [0, 1], keyword BM25 (unbounded), hybrid z-score (default: a weighted
 *     sum of z-scores, negative for most hits), RRF (about 1/60 at best) or weighted (in [0, 1]). 0
 *     (default) keeps everything
 * @param maxChunksPerDocument at most this many chunks of one document in the result (0 = no cap)
 * @param fusion how hybrid mode merges the vector and keyword rankings ({@link HybridFusion})
 * @param vectorWeight weight of the vector side in {@link Fusion#ZSCORE} and {@link
 *     Fusion#WEIGHTED} fusion, in [0, 1]; NaN (default) for the index's: the weight {@link
 *     HybridCalibration} measured for it ({@link IndexManifest#defaultVectorWeight()}), else 0.6
 * @param includeVectors whether hits carry their stored vectors (costs a read per hit)
 * @param candidates how many nearest candidates the HNSW graph search collects before the best
 *     are taken (its {@code efSearch}; Lucene's {@code k} of {@code KnnFloatVectorQuery}). More
 *     candidates: higher recall, slower search. 0 (default) means {@link #DEFAULT_CANDIDATES},
 *     and never fewer than the hits the search needs. Quantized formats multiply it by their
 *     oversampling factor before rescoring
 */
public record SearchRequest(
        SearchMode mode,
        String text,
        float[] vector,
        int k,
        Filter filter,
        double minScore,
        int maxChunksPerDocument,
        Fusion fusion,
        double vectorWeight,
        boolean includeVectors,
        int candidates) {

    /**
     * Graph candidates of a vector search when the request does not say. On 100k real sentence
     * embeddings (bge-small, 384-d; {@code VectorIndexBenchmark}, two cores) it gave recall@10 0.987
     * (float32) / 0.975 (int8) at a p50 of 0.56-0.58 ms; 40 candidates fell below 0.95, 200 gained
     * about one point for 20-40% more time.
     */
    public static final int DEFAULT_CANDIDATES = 100;

    /**
     * The most hits one search or answer may ask for: the one range of {@code k} for {@code rag
     * search}, {@code rag ask}, the config's {@code topK} and the server ({@code 1..MAX_K}).
     */
    public static final int MAX_K = 1000;

    /** Upper bound of {@link #candidates()}: beyond this an exact scan is cheaper. */
    public static final int MAX_CANDIDATES = 100_000;

    /** How hybrid mode merges rankings. */
    public enum Fusion {
        /**
         * Reciprocal rank fusion, {@code sum 0.5 / (60 + rank)}: needs no score calibration, but a
         * hit first in one list only ties with one middling in both.
         */
        RRF,
        /**
         * Scores min-max normalised per ranking, then {@code w * vector + (1 - w) * keyword}: lets
         * strong matches of one kind dominate.
         */
        WEIGHTED,
        /**
         * The default: scores standardised per ranking (z-scores), then {@code w * vector + (1 - w) *
         * keyword}: a result far above the rest of its own ranking keeps its lead.
         */
        ZSCORE
    }

    /** The fusion of hybrid mode as a {@link HybridFusion}; an unset vector weight counts as 0.6. */
    public HybridFusion hybridFusion() {
        return hybridFusion(HybridFusion.DEFAULT.vectorWeight());
    }

    /**
     * The fusion of hybrid mode over an index whose default vector weight is {@code indexWeight}
     * ({@link IndexManifest#defaultVectorWeight()}), used when the request sets none.
     */
    public HybridFusion hybridFusion(double indexWeight) {
        double w = Double.isNaN(vectorWeight) ? indexWeight : vectorWeight;
        return switch (fusion) {
            case RRF -> HybridFusion.rrf(HybridFusion.RRF_K, 0.5);
            case WEIGHTED -> HybridFusion.minMax(w);
            case ZSCORE -> HybridFusion.zScore(w);
        };
    }

    public SearchRequest {
        Checks.notNull(mode, "mode");
        Checks.positive(k, "k");
        Checks.notNull(fusion, "fusion");
        if (mode != SearchMode.KEYWORD) {
            Checks.notNull(vector, "vector (the query embedding, needed in " + mode + " mode)");
        }
        if (mode == SearchMode.KEYWORD && (text == null || text.isBlank())) {
            throw new IllegalArgumentException(
                    "text must not be blank in keyword mode, but was " + (text == null ? "null" : "\"" + text + "\""));
        }
        if (Double.isNaN(minScore) || minScore < 0) { // 0: no floor (hybrid z-scores may be negative)
            throw new IllegalArgumentException("minScore must be >= 0, but was " + minScore);
        }
        if (maxChunksPerDocument < 0) {
            throw new IllegalArgumentException("maxChunksPerDocument must be >= 0, but was " + maxChunksPerDocument);
        }
        if (!Double.isNaN(vectorWeight) && !(vectorWeight >= 0 && vectorWeight <= 1)) {
            throw new IllegalArgumentException(
                    "vectorWeight must be between 0 and 1 (or NaN for the index's), but was " + vectorWeight);
        }
        if (candidates < 0 || candidates > MAX_CANDIDATES) {
            throw new IllegalArgumentException(
                    "candidates must be between 0 (automatic) and " + MAX_CANDIDATES + ", but was " + candidates);
        }
    }

    /** The graph candidates to collect for {@code hits} results: at least {@code hits}. */
    int graphCandidates(int hits) {
        return Math.max(hits, candidates == 0 ? DEFAULT_CANDIDATES : candidates);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this request. */
    public Builder toBuilder() {
        return new Builder()
                .mode(mode)
                .text(text)
                .vector(vector)
                .k(k)
                .filter(filter)
                .minScore(minScore)
                .maxChunksPerDocument(maxChunksPerDocument)
                .fusion(fusion)
                .vectorWeight(vectorWeight)
                .includeVectors(includeVectors)
                .candidates(candidates);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchRequest r
                && r.mode == mode
                && Objects.equals(r.text, text)
                && Arrays.equals(r.vector, vector)
                && r.k == k
                && Objects.equals(r.filter, filter)
                && r.minScore == minScore
                && r.maxChunksPerDocument == maxChunksPerDocument
                && r.fusion == fusion
                && Double.compare(r.vectorWeight, vectorWeight) == 0
                && r.includeVectors == includeVectors
                && r.candidates == candidates;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                mode, text, Arrays.hashCode(vector), k, filter, minScore, maxChunksPerDocument, fusion, candidates);
    }

    @Override
    public String toString() {
        return "SearchRequest[mode=" + mode + ", text=" + text + ", vector="
                + (vector == null ? "null" : vector.length + "-d") + ", k=" + k + ", filter=" + filter + ", minScore="
                + minScore + ", maxChunksPerDocument=" + maxChunksPerDocument + ", fusion=" + fusion
                + ", vectorWeight=" + vectorWeight + ", includeVectors=" + includeVectors + ", candidates=" + candidates
                + "]";
    }

    /**
     * Defaults: hybrid, k = 5, no filter, min-score 0, no per-document cap, z-score fusion with
     * the index's vector weight (calibrated, else 0.6: {@link HybridFusion#DEFAULT}), automatic
     * candidates.
     */
    public static final class Builder {
        private SearchMode mode = SearchMode.HYBRID;
        private String text;
        private float[] vector;
        private int k = 5;
        private Filter filter;
        private double minScore;
        private int maxChunksPerDocument;
        private Fusion fusion = Fusion.ZSCORE;
        private double vectorWeight = Double.NaN; // the index's
        private boolean includeVectors;
        private int candidates;

        private Builder() {}

        public Builder mode(SearchMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder vector(float[] vector) {
            this.vector = vector;
            return this;
        }

        public Builder k(int k) {
            this.k = k;
            return this;
        }

        public Builder filter(Filter filter) {
            this.filter = filter;
            return this;
        }

        public Builder minScore(double minScore) {
            this.minScore = minScore;
            return this;
        }

        public Builder maxChunksPerDocument(int maxChunksPerDocument) {
            this.maxChunksPerDocument = maxChunksPerDocument;
            return this;
        }

        public Builder fusion(Fusion fusion) {
            this.fusion = fusion;
            return this;
        }

        public Builder vectorWeight(double vectorWeight) {
            this.vectorWeight = vectorWeight;
            return this;
        }

        public Builder includeVectors(boolean includeVectors) {
            this.includeVectors = includeVectors;
            return this;
        }

        /** HNSW candidates to collect (efSearch); 0 = automatic. See {@link SearchRequest#candidates()}. */
        public Builder candidates(int candidates) {
            this.candidates = candidates;
            return this;
        }

        /** The mode set so far (to decide whether a query embedding is needed). */
        public SearchMode mode() {
            return mode;
        }

        public SearchRequest build() {
            return new SearchRequest(
                    mode,
                    text,
                    vector,
                    k,
                    filter,
                    minScore,
                    maxChunksPerDocument,
                    fusion,
                    vectorWeight,
                    includeVectors,
                    candidates);
        }
    }
}
