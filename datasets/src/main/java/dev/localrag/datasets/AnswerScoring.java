package dev.localrag.datasets;

import dev.localrag.core.text.CjkText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Answer scoring: SQuAD-style normalisation, exact match and token F1, citations, "not found". */
public final class AnswerScoring {

    private static final Pattern CITATION = Pattern.compile("\\[(\\d+)]");
    private static final Set<String> ARTICLES = Set.of("a", "an", "the");
    private static final Pattern NOT_FOUND =
            Pattern.compile("(?i)(do(es)?\\s+not|don't|doesn't|did\\s+not)\\s+(contain|mention|include|say)"
                    + "|no\\s+information|not\\s+(found|mentioned|stated)\\s+in"
                    + "|不包含|没有包含|未包含|没有提到|未提到|没有提及|未提及|无法回答|没有相关信息|未找到|找不到");

    private AnswerScoring() {}

    /**
     * Lower-cased tokens without punctuation, English articles or citations [n]; each CJK character
     * is its own token, runs of letters and digits form words.
     */
    public static List<String> tokens(String text) {
        String s = CITATION.matcher(text == null ? "" : text).replaceAll(" ").toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (CjkText.isCjk(cp)) {
                flush(word, out);
                out.add(new String(Character.toChars(cp)));
            } else if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
            } else {
                flush(word, out);
            }
        });
        flush(word, out);
        return out;
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (!word.isEmpty()) {
            String w = word.toString();
            if (!ARTICLES.contains(w)) {
                out.add(w);
            }
            word.setLength(0);
        }
    }

    /** 1 when the normalised answer equals a normalised gold answer, else 0. */
    public static double exactMatch(String answer, List<String> gold) {
        List<String> a = tokens(answer);
        return gold.stream().anyMatch(g -> tokens(g).equals(a)) ? 1 : 0;
    }

    /** The best token F1 of the answer against any gold answer. */
    public static double tokenF1(String answer, List<String> gold) {
        List<String> a = tokens(answer);
        double best = 0;
        for (String g : gold) {
            best = Math.max(best, f1(a, tokens(g)));
        }
        return best;
    }

    static double f1(List<String> predicted, List<String> gold) {
        if (predicted.isEmpty() || gold.isEmpty()) {
            return predicted.equals(gold) ? 1 : 0;
        }
        Map<String, Integer> counts = new HashMap<>();
        gold.forEach(t -> counts.merge(t, 1, Integer::sum));
        int common = 0;
        for (String t : predicted) {
            Integer c = counts.get(t);
            if (c != null && c > 0) {
                common++;
                counts.put(t, c - 1);
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = (double) common / predicted.size();
        double recall = (double) common / gold.size();
        return 2 * precision * recall / (precision + recall);
    }

    /** 1 when the normalised answer contains a normalised gold answer as a token run, else 0. */
    public static double containsGold(String answer, List<String> gold) {
        List<String> a = tokens(answer);
        for (String g : gold) {
            List<String> t = tokens(g);
            if (!t.isEmpty() && Collections.indexOfSubList(a, t) >= 0) {
                return 1;
            }
        }
        return 0;
    }

    /** The citation numbers [n] in the answer, in order of first use. */
    public static Set<Integer> citations(String answer) {
        Set<Integer> out = new LinkedHashSet<>();
        Matcher m = CITATION.matcher(answer == null ? "" : answer);
        while (m.find()) {
            try {
                out.add(Integer.parseInt(m.group(1)));
            } catch (NumberFormatException ignored) {
                // a number too long to be a citation
            }
        }
        return out;
    }

    /** Whether the answer says the documents do not contain the answer. */
    public static boolean saysNotFound(String answer) {
        return NOT_FOUND.matcher(answer == null ? "" : answer).find();
    }
}
