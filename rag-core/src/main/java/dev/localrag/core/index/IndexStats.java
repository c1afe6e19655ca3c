package dev.localrag.core.index;

/**
 * Size of an index.
 *
 * @param documents source documents
 * @param chunks indexed chunks
 */
public record IndexStats(int documents, int chunks) {}
