package dev.localrag.core.answer;

/**
 * A source the answer cites as {@code [n]}.
 *
 * @param n the marker number
 * @param path the source document's id (canonical path or URI)
 * @param title the document's title
 * @param section heading breadcrumb of the chunk, or empty when unknown
 * @param page page number (from 1), or 0 when the format has no pages
 * @param chunk the chunk's position in its document
 * @param score retrieval score
 * @param snippet the part of the chunk that best matches the question
 */
public record Citation(
        int n, String path, String title, String section, int page, int chunk, double score, String snippet) {}
