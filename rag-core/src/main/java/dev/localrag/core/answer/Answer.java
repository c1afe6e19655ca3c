package dev.localrag.core.answer;

import java.util.List;

/**
 * A finished (or stopped) answer.
 *
 * @param text the answer, with [n] markers that all point to a source
 * @param citations the sources the text cites, in order of first citation
 * @param sources all sources retrieved and given to the model, numbered [1]..[n]
 * @param kind how the answer was made
 * @param model the chat model that wrote it, or empty
 * @param notice why the answer is extractive, not found or incomplete, or empty
 * @param complete false when the answer was cancelled or its stream broke
 * @param removedMarkers citation markers the model wrote that pointed to no source, removed
 * @param query the query that was searched (the standalone form of a follow-up question)
 * @param thinking the model's {@code <think>} text, kept apart from the answer
 * @param timings how long it took
 */
public record Answer(
        String text,
        List<Citation> citations,
        List<Source> sources,
        Kind kind,
        String model,
        String notice,
        boolean complete,
        int removedMarkers,
        String query,
        String thinking,
        Timings timings) {

    /** How the answer was made. */
    public enum Kind {
        /** Written by a chat model from the sources. */
        GENERATED,
        /** The retrieved passages, quoted with citations; no model was used. */
        EXTRACTIVE,
        /** Nothing relevant was retrieved; no model was called. */
        NOT_FOUND;

        /** The name in JSON, in every door alike: {@code generated}, {@code extractive}, {@code not-found}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public Answer {
        citations = List.copyOf(citations);
        sources = List.copyOf(sources);
        model = model == null ? "" : model;
        notice = notice == null ? "" : notice;
        query = query == null ? "" : query;
        thinking = thinking == null ? "" : thinking;
    }
}
