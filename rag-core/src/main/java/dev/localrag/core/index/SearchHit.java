package dev.localrag.core.index;

/**
 * A retrieved chunk.
 *
 * @param documentId the source document's id (its canonical path or URI)
 * @param title the source document's title
 * @param ordinal the chunk's position in its document
 * @param text the chunk's text
 * @param score higher is better; meaning depends on the search mode
 */
public record SearchHit(String documentId, String title, int ordinal, String text, double score) {}
