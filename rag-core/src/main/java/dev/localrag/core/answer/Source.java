package dev.localrag.core.answer;

import dev.localrag.core.index.SearchHit;

/**
 * A retrieved chunk as the answer cites it: {@code [n]}.
 *
 * @param n citation number, from 1
 * @param path the source document's id (canonical path or URI)
 * @param title the source document's title
 * @param chunk the chunk's position in its document, from 0
 * @param score retrieval score
 * @param text the chunk's text
 */
public record Source(int n, String path, String title, int chunk, double score, String text) {

    static Source of(int n, SearchHit hit) {
        return new Source(n, hit.documentId(), hit.title(), hit.ordinal(), hit.score(), hit.text());
    }
}
