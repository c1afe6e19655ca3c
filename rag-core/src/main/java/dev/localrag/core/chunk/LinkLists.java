package dev.localrag.core.chunk;

import dev.localrag.core.Internal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of a chunk is a list of links ("See also", "External links", a README's table of
 * contents): such chunks match many queries by the names they list but answer none, so hybrid
 * search ranks them lower ({@code dev.localrag.core.index.HybridFusion#LINK_LIST_DAMPING}). The
 * rule reads the text's form, not its words, so it holds in any language: the share of the text's
 * characters (breadcrumb line excluded) in lines that are mostly link, i.e. whose Markdown links
 * ({@code [text](target)}) and bare URLs make up at least half the line. Ingest writes an HTML list
 * item that is mostly link text as such a Markdown link.
 */
@Internal
public final class LinkLists {

    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]\\n]*\\]\\([^)\\s]*\\)|<?https?://[^\\s)>]+>?");
    private static final Pattern LIST_MARKER = Pattern.compile("^\\s*(?:[-*+•]|\\d{1,3}[.)])\\s+");

    private LinkLists() {}

    /**
     * The share, in [0, 1], of {@code chunkText}'s characters in lines that are mostly links; 0 for
     * text without links. The first line is left out when it is followed by a blank line (the
     * breadcrumb {@link StructuredChunker} writes).
     */
    public static double share(String chunkText) {
        if (chunkText == null || chunkText.isEmpty() || !(chunkText.contains("](") || chunkText.contains("://"))) {
            return 0;
        }
        String[] lines = chunkText.split("\n", -1);
        int from = lines.length > 2 && lines[1].isBlank() ? 2 : 0;
        long total = 0;
        long linked = 0;
        for (int i = from; i < lines.length; i++) {
            String line = LIST_MARKER.matcher(lines[i]).replaceFirst("").strip();
            if (line.isEmpty()) {
                continue;
            }
            total += line.length();
            int linkChars = 0;
            Matcher m = LINK.matcher(line);
            while (m.find()) {
                linkChars += m.end() - m.start();
            }
            if (2 * linkChars >= line.length()) {
                linked += line.length();
            }
        }
        return total == 0 ? 0 : (double) linked / total;
    }
}
