package dev.localrag.core.config;

import dev.localrag.core.Checks;

/**
 * How answers are assembled.
 *
 * @param contextTokens the chat model's context window we ask for ({@code num_ctx})
 * @param answerReserveTokens tokens kept free for the answer
 * @param minRelevance cosine similarity below which the best chunk counts as "not relevant" and
 *     no model is called; null means the embedder's default (0.6 for bge-small-en-v1.5, off for
 *     others)
 * @param condenseFollowUps rewrite a follow-up question into a standalone one before retrieval
 */
public record AnswerSettings(
        int contextTokens, int answerReserveTokens, Double minRelevance, boolean condenseFollowUps) {

    public static final AnswerSettings DEFAULT = new AnswerSettings(8192, 1024, null, true);

    public AnswerSettings {
        Checks.between(contextTokens, 512, 1_048_576, "answer.contextTokens");
        Checks.between(answerReserveTokens, 64, contextTokens / 2, "answer.answerReserveTokens");
        if (minRelevance != null && (minRelevance < -1 || minRelevance > 1)) {
            throw new IllegalArgumentException("answer.minRelevance must be between -1 and 1, but was " + minRelevance);
        }
    }

    /** The relevance floor for an index built with {@code embedder}. */
    public double relevanceFloor(String embedderSpec) {
        if (minRelevance != null) {
            return minRelevance;
        }
        // Measured on the sample corpus: off-topic questions score 0.49-0.56, on-topic 0.69-0.78.
        return embedderSpec.equals("onnx:bge-small-en-v1.5") ? 0.6 : -1;
    }
}
