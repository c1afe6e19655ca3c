package dev.localrag.core.embed;

import java.util.ArrayList;
import java.util.List;

/**
 * A cautious token count for a model whose tokenizer we do not have (Ollama's): BPE vocabularies
 * spend about four characters of ASCII text per token, and at most one token per other character;
 * we assume three ASCII characters per token, and one token for every non-ASCII character, so the
 * estimate is rarely below the real count. Ollama is additionally told not to truncate, so an
 * underestimate is an error, never a silently cut input.
 */
public final class TokenEstimate {

    private TokenEstimate() {}

    public static int of(String text) {
        int ascii = 0;
        int other = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp < 128) {
                ascii++;
            } else {
                other++;
            }
            i += Character.charCount(cp);
        }
        return (ascii + 2) / 3 + other + 1;
    }

    /**
     * Cuts {@code text} into consecutive pieces of at most {@code maxTokens} estimated tokens,
     * preferring to cut at whitespace. Nothing is dropped: the pieces joined are the text.
     */
    public static List<String> split(String text, int maxTokens) {
        List<String> pieces = new ArrayList<>();
        String rest = text;
        while (of(rest) > maxTokens) {
            int end = longestPrefix(rest, maxTokens);
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

    /** Length of the longest prefix (in chars, not splitting a surrogate pair) within the budget. */
    private static int longestPrefix(String text, int maxTokens) {
        int lo = 1;
        int hi = text.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (of(text.substring(0, mid)) <= maxTokens) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (lo < text.length() && Character.isLowSurrogate(text.charAt(lo)) && lo > 1) {
            lo--;
        }
        return lo;
    }
}
