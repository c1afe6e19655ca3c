package dev.localrag.core.index;

import java.util.Map;

/**
 * A retrieved chunk.
 *
 * @param documentId the source document's id (its canonical path or URI)
 * @param title the source document's title
 * @param ordinal the chunk's position in its document
 * @param text the chunk's text
 * @param score higher is better; meaning depends on the search mode (see {@link
 *     SearchRequest#minScore()})
 * @param mimeType the source document's media type ("" when unknown)
 * @param metadata the source document's extra metadata ({@link SourceDocument#metadata()})
 * @param vector the chunk's stored vector when {@link SearchRequest#includeVectors()} asked for it,
 *     else null
 */
public record SearchHit(
        String documentId,
        String title,
        int ordinal,
        String text,
        double score,
        String mimeType,
        Map<String, Object> metadata,
        float[] vector) {

    public SearchHit {
        mimeType = mimeType == null ? "" : mimeType;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public SearchHit(String documentId, String title, int ordinal, String text, double score) {
        this(documentId, title, ordinal, text, score, "", Map.of(), null);
    }

    /** This hit with another score, every other field the same (a reranker's, a fused one). */
    public SearchHit withScore(double newScore) {
        return new SearchHit(documentId, title, ordinal, text, newScore, mimeType, metadata, vector);
    }

    /** This hit carrying {@code newVector} as its stored vector, every other field the same. */
    public SearchHit withVector(float[] newVector) {
        return new SearchHit(documentId, title, ordinal, text, score, mimeType, metadata, newVector);
    }
}
