package dev.localrag.core.text;

/**
 * Which characters are Chinese, Japanese or Korean: the one place that decides it for token
 * estimates, chunk joining, prompt language and answer scoring.
 */
public final class CjkText {

    private CjkText() {}

    /**
     * A CJK letter: a Han ideograph, kana or a Hangul syllable. Each is about one token for a model
     * and one word for scoring.
     */
    public static boolean isCjk(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN
                || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || script == Character.UnicodeScript.HANGUL;
    }

    /** Whether {@code text} holds any {@linkplain #isCjk CJK letter}. */
    public static boolean containsCjk(String text) {
        return text.codePoints().anyMatch(CjkText::isCjk);
    }

    /**
     * Whether pieces of text ending or starting with {@code codePoint} are joined without a space:
     * Chinese and Japanese (Han, kana, CJK punctuation and full-width forms) put no space between
     * words. Korean does (Hangul is CJK but spaced), so it is not one of them.
     */
    public static boolean joinsWithoutSpace(int codePoint) {
        return (isCjk(codePoint) && Character.UnicodeScript.of(codePoint) != Character.UnicodeScript.HANGUL)
                || (codePoint >= '\u3000' && codePoint <= '\u303f') // CJK symbols and punctuation
                || (codePoint >= '\uff00' && codePoint <= '\uffef'); // half- and full-width forms
    }
}
