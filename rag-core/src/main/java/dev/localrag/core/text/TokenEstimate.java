package dev.localrag.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;

/**
 * Cautious token counts for models whose tokenizer we do not have. Two rules, because the two kinds
 * of model spend tokens differently on non-English text and an overestimate costs something
 * different in each:
 *
 * <ul>
 *   <li>{@link #forChatModel}: chat models (Qwen, Llama) have large multilingual BPE vocabularies:
 *       about four characters per token for English and other alphabetic scripts, about one per
 *       CJK character. We count one token per CJK character and one per three other characters, so
 *       a prompt sized with it fits. A stricter count would only drop sources from the prompt.
 *   <li>{@link #forEmbedder}: embedding models (BERT-style WordPiece vocabularies, e.g. nomic) may
 *       spend a token on every non-ASCII character, and an input over the model's limit fails. We
 *       count three ASCII characters per token, one token per other character, plus one.
 * </ul>
 *
 * For English and Chinese text the two agree (up to the one token); they differ for accented,
 * Cyrillic, Greek or Arabic text, where only the embedder rule assumes the worst.
 */
public final class TokenEstimate {

    private TokenEstimate() {}

    /** Tokens a chat model spends on {@code text}, rarely fewer than its real tokenizer. */
    public static int forChatModel(String text) {
        int cjk = count(text, CjkText::isCjk);
        int other = text.codePointCount(0, text.length()) - cjk;
        return cjk + (other + 2) / 3;
    }

    /**
     * Cuts {@code text} to about {@code tokens} {@linkplain #forChatModel chat tokens}, at a word
     * boundary when there is one.
     */
    public static String truncateForChatModel(String text, int tokens) {
        if (forChatModel(text) <= tokens) {
            return text;
        }
        int lo = longestPrefix(text, tokens, TokenEstimate::forChatModel, 0);
        int cut = text.lastIndexOf(' ', lo);
        return text.substring(0, cut > lo / 2 ? cut : lo) + " …";
    }

    /** Tokens an embedding model spends on {@code text}, rarely fewer than its real tokenizer. */
    public static int forEmbedder(String text) {
        int ascii = count(text, cp -> cp < 128);
        int other = text.codePointCount(0, text.length()) - ascii;
        return (ascii + 2) / 3 + other + 1;
    }

    /**
     * Cuts {@code text} into consecutive pieces of at most {@code maxTokens} {@linkplain
     * #forEmbedder embedder tokens}, preferring to cut at whitespace. Nothing is dropped: the pieces
     * joined are the text.
     */
    public static List<String> splitForEmbedder(String text, int maxTokens) {
        List<String> pieces = new ArrayList<>();
        String rest = text;
        while (forEmbedder(rest) > maxTokens) {
            int end = longestPrefix(rest, maxTokens, TokenEstimate::forEmbedder, 1);
            if (end < rest.length() && Character.isLowSurrogate(rest.charAt(end)) && end > 1) {
                end--; // never split a surrogate pair
            }
            int cut = end;
            for (int i = end; i > end / 2; i--) {
                if (Character.isWhitespace(rest.charAt(i - 1))) {
                    cut = i;
                    break;
                }
            }
            pieces.add(rest.substring(0, cut));
            rest = rest.substring(cut);
        }
        if (!rest.isEmpty() || pieces.isEmpty()) {
            pieces.add(rest);
        }
        return pieces;
    }

    private static int count(String text, IntPredicate which) {
        return (int) text.codePoints().filter(which).count();
    }

    /** Length in chars of the longest prefix within {@code tokens} by {@code rule}, at least {@code atLeast}. */
    private static int longestPrefix(String text, int tokens, ToIntFunction<String> rule, int atLeast) {
        int lo = atLeast;
        int hi = text.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (rule.applyAsInt(text.substring(0, mid)) <= tokens) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
