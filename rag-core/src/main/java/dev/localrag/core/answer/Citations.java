package dev.localrag.core.answer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the {@code [n]} markers of an answer to its sources. Markers that point to no source are
 * removed and counted; {@code [1, 3]} and {@code [1][3]} both cite 1 and 3.
 */
final class Citations {

    private static final Pattern MARKER = Pattern.compile("\\[(\\d+(?:\\s*[,;]\\s*\\d+)*)]");

    /**
     * @param text the answer with its markers cleaned
     * @param cited the sources cited, in order of first citation
     * @param removed how many marker numbers pointed to no source
     */
    record Resolved(String text, List<Source> cited, int removed) {}

    private Citations() {}

    static Resolved resolve(String answer, List<Source> sources) {
        Map<Integer, Source> byNumber = new LinkedHashMap<>();
        for (Source s : sources) {
            byNumber.put(s.n(), s);
        }
        Map<Integer, Source> cited = new LinkedHashMap<>();
        int removed = 0;
        StringBuilder out = new StringBuilder();
        Matcher m = MARKER.matcher(answer);
        int last = 0;
        while (m.find()) {
            List<Integer> kept = new ArrayList<>();
            for (String part : m.group(1).split("\\s*[,;]\\s*")) {
                int n;
                try {
                    n = Integer.parseInt(part);
                } catch (NumberFormatException e) {
                    n = -1; // more digits than an int: no such source
                }
                Source s = byNumber.get(n);
                if (s == null) {
                    removed++;
                } else {
                    kept.add(n);
                    cited.putIfAbsent(n, s);
                }
            }
            out.append(answer, last, m.start());
            if (!kept.isEmpty()) {
                out.append('[')
                        .append(String.join(
                                ", ", kept.stream().map(String::valueOf).toList()))
                        .append(']');
            } else {
                // drop a space left before a removed marker: "claim [9]." -> "claim."
                int len = out.length();
                if (len > 0
                        && out.charAt(len - 1) == ' '
                        && m.end() < answer.length()
                        && ".,;:!?)".indexOf(answer.charAt(m.end())) >= 0) {
                    out.setLength(len - 1);
                }
            }
            last = m.end();
        }
        out.append(answer.substring(last));
        return new Resolved(out.toString(), List.copyOf(cited.values()), removed);
    }
}
