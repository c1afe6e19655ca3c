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
 *     (1 + cosine) / 2} in [0, 1], keyword BM25 (unbounded), hybrid RRF (about 1/60 at best) or
 *     weighted (in [0, 1]). 0 keeps everything
 * @param maxChunksPerDocument at most this many chunks of one document in the result (0 = no cap)
 * @param fusion how hybrid mode merges the vector and keyword rankings
 * @param vectorWeight weight of the vector scores in {@link Fusion#WEIGHTED} fusion, in [0, 1]
 * @param includeVectors whether hits carry their stored vectors (costs a read per hit)
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
        boolean includeVectors) {

    /** How hybrid mode merges rankings. */
    public enum Fusion {
        /** Reciprocal rank fusion, {@code sum 1 / (60 + rank)}: needs no score calibration. */
        RRF,
        /**
         * Scores min-max normalised per ranking, then {@code w * vector + (1 - w) * keyword}: lets
         * strong matches of one kind dominate.
         */
        WEIGHTED
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
        if (Double.isNaN(minScore) || minScore < 0) {
            throw new IllegalArgumentException("minScore must be >= 0, but was " + minScore);
        }
        if (maxChunksPerDocument < 0) {
            throw new IllegalArgumentException("maxChunksPerDocument must be >= 0, but was " + maxChunksPerDocument);
        }
        if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
            throw new IllegalArgumentException("vectorWeight must be between 0 and 1, but was " + vectorWeight);
        }
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
                .includeVectors(includeVectors);
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
                && r.vectorWeight == vectorWeight
                && r.includeVectors == includeVectors;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, text, Arrays.hashCode(vector), k, filter, minScore, maxChunksPerDocument, fusion);
    }

    @Override
    public String toString() {
        return "SearchRequest[mode=" + mode + ", text=" + text + ", vector="
                + (vector == null ? "null" : vector.length + "-d") + ", k=" + k + ", filter=" + filter + ", minScore="
                + minScore + ", maxChunksPerDocument=" + maxChunksPerDocument + ", fusion=" + fusion
                + ", vectorWeight=" + vectorWeight + ", includeVectors=" + includeVectors + "]";
    }

    /** Defaults: hybrid, k = 5, no filter, min-score 0, no per-document cap, RRF, weight 0.5. */
    public static final class Builder {
        private SearchMode mode = SearchMode.HYBRID;
        private String text;
        private float[] vector;
        private int k = 5;
        private Filter filter;
        private double minScore;
        private int maxChunksPerDocument;
        private Fusion fusion = Fusion.RRF;
        private double vectorWeight = 0.5;
        private boolean includeVectors;

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
                    includeVectors);
        }
    }
}
