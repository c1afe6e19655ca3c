package dev.localrag.core.answer;

import java.util.List;

/**
 * A finished answer.
 *
 * @param text the answer, with [n] citations
 * @param sources the retrieved sources, numbered as cited
 * @param kind whether a model wrote it or it is the retrieved passages themselves
 * @param model the chat model that wrote it, or empty for an extractive answer
 * @param notice why the answer is extractive, or empty
 */
public record Answer(String text, List<Source> sources, Kind kind, String model, String notice) {

    /** How the answer was made. */
    public enum Kind {
        /** Written by a chat model from the sources. */
        GENERATED,
        /** The retrieved passages, quoted with citations; no model was used. */
        EXTRACTIVE
    }

    public Answer {
        sources = List.copyOf(sources);
        model = model == null ? "" : model;
        notice = notice == null ? "" : notice;
    }
}
