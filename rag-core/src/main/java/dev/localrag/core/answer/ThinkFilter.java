package dev.localrag.core.answer;

import java.util.function.Consumer;

/**
 * Separates a Qwen3-style {@code <think>...</think>} block from the answer as tokens stream in;
 * tags may be split across tokens. Thinking goes to its own consumer (or nowhere).
 */
final class ThinkFilter implements Consumer<String> {

    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";

    private final Consumer<String> answer;
    private final Consumer<String> thinking;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder thought = new StringBuilder();
    private boolean inside;

    ThinkFilter(Consumer<String> answer, Consumer<String> thinking) {
        this.answer = answer;
        this.thinking = thinking;
    }

    @Override
    public void accept(String token) {
        pending.append(token);
        drain(false);
    }

    /** Emits whatever is still held back; call once at the end of the stream. */
    void finish() {
        drain(true);
    }

    String thinking() {
        return thought.toString();
    }

    private void drain(boolean end) {
        while (!pending.isEmpty()) {
            String tag = inside ? CLOSE : OPEN;
            int at = pending.indexOf(tag);
            if (at >= 0) {
                emit(pending.substring(0, at));
                pending.delete(0, at + tag.length());
                inside = !inside;
                continue;
            }
            int keep = end ? 0 : partialTagSuffix(pending, tag);
            emit(pending.substring(0, pending.length() - keep));
            pending.delete(0, pending.length() - keep);
            return;
        }
    }

    private void emit(String text) {
        if (text.isEmpty()) {
            return;
        }
        if (inside) {
            thought.append(text);
            thinking.accept(text);
        } else {
            answer.accept(text);
        }
    }

    /** Length of the longest suffix of {@code s} that is a prefix of {@code tag}. */
    private static int partialTagSuffix(CharSequence s, String tag) {
        for (int len = Math.min(tag.length() - 1, s.length()); len > 0; len--) {
            if (tag.startsWith(s.subSequence(s.length() - len, s.length()).toString())) {
                return len;
            }
        }
        return 0;
    }
}
