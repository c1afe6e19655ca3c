package dev.localrag.core.answer;

/**
 * Call-compatible bridge for {@link AnswerService} to {@link dev.localrag.core.text.TokenEstimate}'s
 * chat-model rule. Delete once AnswerService imports {@code dev.localrag.core.text.TokenEstimate}
 * and calls {@code forChatModel} / {@code truncateForChatModel} itself.
 */
final class TokenEstimate {

    private TokenEstimate() {}

    static int of(String text) {
        return dev.localrag.core.text.TokenEstimate.forChatModel(text);
    }

    static String truncate(String text, int tokens) {
        return dev.localrag.core.text.TokenEstimate.truncateForChatModel(text, tokens);
    }
}
