package dev.localrag.core.ollama;

/**
 * A finished streamed chat.
 *
 * @param text everything the model said
 * @param doneReason Ollama's {@code done_reason}, e.g. {@code stop} or {@code length}
 * @param evalCount tokens generated ({@code eval_count})
 * @param promptEvalCount prompt tokens ({@code prompt_eval_count})
 * @param firstTokenNanos time from sending the request to the first token
 */
public record ChatResult(String text, String doneReason, int evalCount, int promptEvalCount, long firstTokenNanos) {}
