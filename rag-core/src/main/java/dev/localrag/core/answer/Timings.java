package dev.localrag.core.answer;

/**
 * How long an answer took.
 *
 * @param retrievalMillis embedding the question and searching the index (and condensing a follow-up)
 * @param firstTokenMillis from the start until the first answer token, or -1 without a model
 * @param tokensPerSecond answer tokens per second of generation, or 0 without a model
 * @param totalMillis the whole answer
 */
public record Timings(long retrievalMillis, long firstTokenMillis, double tokensPerSecond, long totalMillis) {}
