package dev.localrag.core.answer;

/**
 * A conservative token count for prompt budgeting when the chat model's tokenizer is not at hand:
 * one token per CJK character, one per three other characters. Real tokenizers (Qwen, Llama) give
 * fewer for English, so a prompt sized with this fits.
 */
final class TokenEstimate {

    private TokenEstimate() {}

    static int of(String text) {
        int cjk = 0;
        int other = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isCjk(cp)) {
                cjk++;
            } else {
                other++;
            }
            i += Character.charCount(cp);
        }
        return cjk + (other + 2) / 3;
    }

    /** Cuts {@code text} to about {@code tokens} tokens, at a word boundary when there is one. */
    static String truncate(String text, int tokens) {
        if (of(text) <= tokens) {
            return text;
        }
        int lo = 0;
        int hi = text.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (of(text.substring(0, mid)) <= tokens) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int cut = text.lastIndexOf(' ', lo);
        return text.substring(0, cut > lo / 2 ? cut : lo) + " …";
    }

    static boolean containsCjk(String text) {
        return text.codePoints().anyMatch(TokenEstimate::isCjk);
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN
                || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || script == Character.UnicodeScript.HANGUL;
    }
}
