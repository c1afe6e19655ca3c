package dev.localrag.server;

import dev.localrag.core.answer.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the {@code [n]} markers of an answer to its sources. A marker that points to no source is
 * removed from the text and counted. Markers may group numbers: {@code [1, 3]}.
 *
 * <p>Kept in one place so it can move to rag-core with the answer pipeline.
 */
final class Citations {

    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,4}(?:\\s*,\\s*\\d{1,4})*)]");

    /** A source the answer cites. */
    record Citation(int n, String path, String title, int chunk) {}

    /**
     * @param text the answer without markers that point nowhere
     * @param citations cited sources in order of first citation
     * @param removedMarkers how many citation numbers pointed to no source
     */
    record Resolved(String text, List<Citation> citations, int removedMarkers) {}

    private Citations() {}

    static Resolved resolve(String answer, List<Source> sources) {
        Map<Integer, Source> byNumber = new LinkedHashMap<>();
        for (Source s : sources) {
            byNumber.put(s.n(), s);
        }
        Map<Integer, Citation> cited = new LinkedHashMap<>();
        int removed = 0;
        StringBuilder out = new StringBuilder();
        Matcher m = MARKER.matcher(answer);
        int last = 0;
        while (m.find()) {
            List<Integer> kept = new ArrayList<>();
            for (String part : m.group(1).split(",")) {
                int n = Integer.parseInt(part.strip());
                Source s = byNumber.get(n);
                if (s == null) {
                    removed++;
                } else {
                    kept.add(n);
                    cited.putIfAbsent(n, new Citation(n, s.path(), s.title(), s.chunk()));
                }
            }
            String before = answer.substring(last, m.start());
            if (kept.isEmpty()) {
                // drop the marker and a space before it, so "text [9]." reads "text."
                out.append(before.endsWith(" ") ? before.substring(0, before.length() - 1) : before);
            } else {
                out.append(before).append('[');
                for (int i = 0; i < kept.size(); i++) {
                    out.append(i == 0 ? "" : ", ").append(kept.get(i));
                }
                out.append(']');
            }
            last = m.end();
        }
        out.append(answer.substring(last));
        return new Resolved(out.toString(), List.copyOf(cited.values()), removed);
    }
}
