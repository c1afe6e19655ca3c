package dev.localrag.core.answer;

import dev.localrag.core.chunk.Breadcrumb;
import dev.localrag.core.index.SearchHit;

/**
 * A retrieved chunk as the answer cites it: {@code [n]}.
 *
 * @param n citation number, from 1
 * @param path the source document's id (canonical path or URI)
 * @param title the source document's title
 * @param section heading breadcrumb of the chunk, or empty when unknown
 * @param page page number (from 1), or 0 when the format has no pages
 * @param chunk the chunk's position in its document, from 0
 * @param score retrieval score
 * @param text the chunk's text (as given to the model; may be cut to fit the context)
 */
public record Source(int n, String path, String title, String section, int page, int chunk, double score, String text) {

    static Source of(int n, SearchHit hit) {
        Breadcrumb where = Breadcrumb.of(hit.documentId(), hit.title(), hit.text());
        return new Source(
                n,
                hit.documentId(),
                hit.title(),
                where.section(),
                where.page(),
                hit.ordinal(),
                hit.score(),
                hit.text());
    }

    Source withText(String newText) {
        return new Source(n, path, title, section, page, chunk, score, newText);
    }
}
