package dev.localrag.datasets;

import dev.localrag.core.Checks;

/**
 * One document of a BEIR corpus ({@code corpus.jsonl}).
 *
 * @param id the {@code _id}
 * @param title the {@code title}, empty when absent
 * @param text the {@code text}
 */
public record CorpusDocument(String id, String title, String text) {

    public CorpusDocument {
        Checks.notBlank(id, "id");
        title = title == null ? "" : title;
        text = text == null ? "" : text;
    }

    /** Title and text as BEIR's dense retrievers embed them: {@code title + " " + text}. */
    public String titleAndText() {
        return title.isBlank() ? text : text.isBlank() ? title : title + " " + text;
    }
}
