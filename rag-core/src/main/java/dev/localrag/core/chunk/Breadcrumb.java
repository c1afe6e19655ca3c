package dev.localrag.core.chunk;

import dev.localrag.core.Internal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a stored chunk sits, read back from the breadcrumb line {@link StructuredChunker} writes at
 * the start of each chunk ({@code Ollama FAQ › Networking › Changing the port}, with {@code p. 3}
 * or {@code pp. 3–4} last for paged sources). The breadcrumb is led by the document's title ({@link
 * #rootFor}); indexes written before titles led it start with the file name, which {@link
 * #of(String, String, String)} also reads.
 *
 * @param section the headings below the document, joined with {@code " › "}; empty when none
 * @param page the first page the chunk comes from, or 0
 */
@Internal
public record Breadcrumb(String section, int page) {

    public static final Breadcrumb NONE = new Breadcrumb("", 0);

    private static final Pattern PAGES = Pattern.compile("^pp?\\. (\\d+)(?:–\\d+)?$");

    /**
     * Reads the breadcrumb of {@code chunkText} from a document whose breadcrumb root is {@code
     * root} (its file or entry name). A first line that does not start with the root is not a
     * breadcrumb: {@link #NONE}.
     */
    public static Breadcrumb of(String root, String chunkText) {
        if (root == null || root.isEmpty() || chunkText == null) {
            return NONE;
        }
        String line = firstLine(chunkText).strip();
        if (!isUnder(root, line)) {
            return NONE;
        }
        String rest = line.length() > root.length()
                ? line.substring(root.length() + StructuredChunker.SEPARATOR.length())
                : "";
        int page = 0;
        int last = rest.lastIndexOf(StructuredChunker.SEPARATOR);
        String tail = last < 0 ? rest : rest.substring(last + StructuredChunker.SEPARATOR.length());
        Matcher m = PAGES.matcher(tail);
        if (m.matches()) {
            page = Integer.parseInt(m.group(1));
            rest = last < 0 ? "" : rest.substring(0, last);
        }
        return new Breadcrumb(rest, page);
    }

    /**
     * The breadcrumb of a stored chunk of the document {@code documentId} titled {@code title}: led
     * by the title, or by the file name as chunks written before titles led breadcrumbs are.
     */
    public static Breadcrumb of(String documentId, String title, String chunkText) {
        Breadcrumb byTitle = of(rootFor(title, rootOf(documentId)), chunkText);
        return byTitle.equals(NONE) ? of(rootOf(documentId), chunkText) : byTitle;
    }

    /**
     * The root a document's breadcrumbs start with: its title (whitespace runs made one space, so it
     * fits the breadcrumb line), or {@code name} (its file or entry name, see {@link #rootOf}) when
     * it has no title or the title is just its file name. A section chunk so carries its subject
     * ("Ollama FAQ › Networking"), which the file name ("faq.mdx") often does not.
     */
    public static String rootFor(String title, String name) {
        String t = title == null ? "" : title.strip().replaceAll("\\s+", " ");
        String n = name == null ? "" : name;
        int slash = n.lastIndexOf('/');
        return t.isEmpty() || t.equals(n) || t.equals(n.substring(slash + 1)) ? n : t;
    }

    /**
     * {@code chunkText} with the root of its breadcrumb changed from {@code from} to {@code to}, as
     * when a file is renamed; the text unchanged when its first line is not a breadcrumb under {@code
     * from} (a chunk of a chunker that writes no breadcrumbs, whatever its words).
     */
    public static String reroot(String chunkText, String from, String to) {
        if (from == null || from.isEmpty() || from.equals(to) || !isUnder(from, firstLine(chunkText))) {
            return chunkText;
        }
        return to + chunkText.substring(from.length());
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static boolean isUnder(String root, String line) {
        return line.equals(root) || line.startsWith(root + StructuredChunker.SEPARATOR);
    }

    /**
     * The breadcrumb root the ingest gives a document: its file name, or {@code outer.ext!/inner}
     * for a document embedded in another ({@code /docs/mail.eml!/report.pdf} -> {@code
     * mail.eml!/report.pdf}).
     */
    public static String rootOf(String documentId) {
        if (documentId == null || documentId.isEmpty()) {
            return "";
        }
        int bang = documentId.indexOf('!');
        String outer = bang < 0 ? documentId : documentId.substring(0, bang);
        int slash = Math.max(outer.lastIndexOf('/'), outer.lastIndexOf('\\'));
        String name = outer.substring(slash + 1);
        return bang < 0 ? name : name + documentId.substring(bang);
    }
}
