package dev.localrag.core.answer;

/**
 * What a {@link Generator} produced.
 *
 * @param text the whole text it streamed
 * @param complete false when the stream was cancelled before the model finished
 * @param outputTokens tokens the model reported, or -1 when unknown
 */
public record Generation(String text, boolean complete, int outputTokens) {}
