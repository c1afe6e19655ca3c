package dev.localrag.core.chunk;

import dev.localrag.core.Checks;

/**
 * One chunk of a document.
 *
 * @param text the text to store and embed; starts with the breadcrumb line when there is one
 * @param breadcrumb where the chunk sits, e.g. {@code faq.mdx › Networking › Changing the port};
 *     empty when the chunker does not know
 * @param firstPage first page the chunk's text comes from, from 1; 0 when the source has no pages
 * @param lastPage last page the chunk's text comes from; 0 when the source has no pages
 */
public record Chunk(String text, String breadcrumb, int firstPage, int lastPage) {

    public Chunk {
        Checks.notNull(text, "text");
        breadcrumb = breadcrumb == null ? "" : breadcrumb;
        if (firstPage < 0 || lastPage < firstPage) {
            throw new IllegalArgumentException(
                    "pages must satisfy 0 <= firstPage <= lastPage, but were " + firstPage + ".." + lastPage);
        }
    }

    /** A chunk without position information. */
    public static Chunk of(String text) {
        return new Chunk(text, "", 0, 0);
    }
}
