package dev.localrag.core.index;

import java.util.Locale;

/** How to retrieve chunks. */
public enum SearchMode {
    /** Nearest neighbours of the query embedding (HNSW). */
    VECTOR,
    /** BM25 over the chunk text and title. */
    KEYWORD,
    /** Both, fused by {@link HybridFusion} (default: z-scores, vector weight 0.6; {@link SearchRequest.Fusion}). */
    HYBRID;

    public static SearchMode parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new dev.localrag.core.ConfigurationException(
                    "Unknown search mode \"" + value + "\". Use vector, keyword or hybrid.");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
