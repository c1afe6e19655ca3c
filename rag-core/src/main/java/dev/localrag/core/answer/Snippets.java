package dev.localrag.core.answer;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Picks the part of a chunk that best matches a question, so an extractive answer shows the
 * relevant lines rather than the chunk's first ones.
 */
final class Snippets {

    private static final Set<String> STOPWORDS = Set.of(
            "the", "and", "for", "are", "how", "what", "which", "who", "why", "when", "where", "does", "can", "with",
            "that", "this", "from", "into", "your", "you", "its", "was", "were", "have", "has", "not", "but", "all");

    private Snippets() {}

    static String best(String text, String question, int maxChars) {
        String t = text.strip();
        if (t.length() <= maxChars) {
            return t;
        }
        Set<String> terms = terms(question);
        List<String> paragraphs = List.of(t.split("\\n\\s*\\n"));
        int best = 0;
        int bestScore = -1;
        for (int i = 0; i < paragraphs.size(); i++) {
            int score = score(paragraphs.get(i), terms);
            if (score > bestScore) {
                best = i;
                bestScore = score;
            }
        }
        String core = paragraphs.get(best).strip();
        if (core.length() > maxChars) {
            return "… " + around(core, terms, maxChars) + " …";
        }
        int from = best;
        int to = best;
        int length = core.length();
        while (true) {
            boolean grown = false;
            if (to + 1 < paragraphs.size() && length + paragraphs.get(to + 1).length() + 2 <= maxChars) {
                length += paragraphs.get(++to).length() + 2;
                grown = true;
            }
            if (from > 0 && length + paragraphs.get(from - 1).length() + 2 <= maxChars) {
                length += paragraphs.get(--from).length() + 2;
                grown = true;
            }
            if (!grown) {
                break;
            }
        }
        String joined = String.join("\n\n", paragraphs.subList(from, to + 1)).strip();
        return (from > 0 ? "… " : "") + joined + (to < paragraphs.size() - 1 ? " …" : "");
    }

    private static String around(String paragraph, Set<String> terms, int maxChars) {
        String lower = paragraph.toLowerCase(Locale.ROOT);
        int first = paragraph.length();
        for (String term : terms) {
            int at = lower.indexOf(term);
            if (at >= 0) {
                first = Math.min(first, at);
            }
        }
        int start = first == paragraph.length() ? 0 : Math.max(0, first - maxChars / 4);
        int end = Math.min(paragraph.length(), start + maxChars);
        return paragraph.substring(start, end).strip();
    }

    private static int score(String paragraph, Set<String> terms) {
        String lower = paragraph.toLowerCase(Locale.ROOT);
        int score = 0;
        for (String term : terms) {
            if (lower.contains(term)) {
                score++;
            }
        }
        return score;
    }

    /** Lower-cased words of 3+ letters without stopwords, cut to 5 characters as a crude stem. */
    static Set<String> terms(String question) {
        Set<String> out = new HashSet<>();
        for (String word : question.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 3 && !STOPWORDS.contains(word)) {
                out.add(word.length() > 5 ? word.substring(0, 5) : word);
            }
        }
        return out;
    }
}
