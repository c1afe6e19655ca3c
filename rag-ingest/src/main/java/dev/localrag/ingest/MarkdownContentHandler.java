package dev.localrag.ingest;

import java.util.Locale;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns Tika's XHTML into light Markdown, keeping the structure the chunker uses: {@code h1}..{@code
 * h6} become {@code #} headings, {@code pre} a fenced code block, table rows {@code | a | b |}, list
 * items {@code - }, paragraphs are separated by blank lines, and each PDF page ({@code <div
 * class="page">}) starts with a form feed. A list item whose text is mostly link text (a "See also"
 * or "External links" entry) becomes a Markdown link {@code - [text](href)}, so search can tell link
 * lists from prose ({@link dev.localrag.core.chunk.LinkLists}); links in prose stay plain text. Plain text (a Markdown file, say) passes through as it is.
 * Text beyond {@code maxChars} is dropped and {@link #truncated()} says so.
 */
final class MarkdownContentHandler extends DefaultHandler {

    private final StringBuilder out = new StringBuilder();
    private final long maxChars;
    private boolean truncated;
    private int headDepth;
    private int preDepth;
    private int headingLevel;
    private boolean inCell;
    private int tableDepth;
    private boolean rowHasCell;
    /** The open list items, innermost last. */
    private final java.util.ArrayDeque<Item> items = new java.util.ArrayDeque<>();

    private int linkDepth;

    /** A list item being read: where its text starts in the output, its characters and link characters. */
    private static final class Item {
        final int start;
        int chars;
        int linkChars;
        String href;

        Item(int start) {
            this.start = start;
        }
    }

    MarkdownContentHandler(long maxChars) {
        this.maxChars = maxChars;
    }

    boolean truncated() {
        return truncated;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) {
        String name = name(localName, qName);
        switch (name) {
            case "head" -> headDepth++;
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                blankLine();
                headingLevel = name.charAt(1) - '0';
                append("#".repeat(headingLevel) + " ");
            }
            case "p", "blockquote", "ul", "ol", "dl" -> blankLine();
            case "div" -> {
                String cls = atts.getValue("class");
                if (cls != null && cls.equals("page")) {
                    blankLine();
                    append("\f");
                } else {
                    newLine();
                }
            }
            case "li", "dt", "dd" -> {
                newLine();
                append("- ");
                items.addLast(new Item(out.length()));
            }
            case "a" -> {
                linkDepth++;
                String href = atts.getValue("href");
                Item item = items.peekLast();
                if (item != null && item.href == null && href != null && !href.isBlank() && !href.startsWith("#")) {
                    item.href = href.strip();
                }
            }
            case "pre" -> {
                if (preDepth++ == 0) {
                    blankLine();
                    append("```\n");
                }
            }
            case "table" -> {
                tableDepth++;
                blankLine();
            }
            case "tr" -> {
                newLine();
                rowHasCell = false;
            }
            case "td", "th" -> {
                trimTrailingBlanks();
                append(rowHasCell ? " | " : "| ");
                rowHasCell = true;
                inCell = true;
            }
            case "br" -> append(inCell ? " " : "\n");
            default -> {}
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = name(localName, qName);
        switch (name) {
            case "head" -> headDepth--;
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                headingLevel = 0;
                blankLine();
            }
            case "table" -> {
                tableDepth--;
                blankLine();
            }
            case "p", "blockquote", "ul", "ol", "dl" -> blankLine();
            case "pre" -> {
                if (--preDepth == 0) {
                    newLine();
                    append("```");
                    blankLine();
                }
            }
            case "tr" -> {
                if (rowHasCell) {
                    trimTrailingBlanks();
                    append(" |");
                }
                newLine();
            }
            case "td", "th" -> inCell = false;
            case "a" -> linkDepth = Math.max(0, linkDepth - 1);
            case "li", "dt", "dd" -> {
                Item item = items.pollLast();
                if (item != null) {
                    asLinkWhenMostlyLink(item);
                }
            }
            default -> {}
        }
    }

    private void asLinkWhenMostlyLink(Item item) {
        if (truncated || item.href == null || item.chars == 0 || 2 * item.linkChars < item.chars) {
            return;
        }
        if (item.start > out.length() || out.indexOf("\n", item.start) >= 0) {
            return; // nested content: leave it as it is
        }
        String text = out.substring(item.start).strip();
        if (text.isEmpty() || text.contains("](")) {
            return;
        }
        String href = item.href.replace(" ", "%20").replace(")", "%29").replace("(", "%28");
        out.setLength(item.start);
        out.append('[')
                .append(text.replace("]", "\\]").replace("[", "\\["))
                .append("](")
                .append(href)
                .append(')');
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (headDepth > 0) {
            return;
        }
        if (tableDepth > 0 && !inCell) {
            return; // whitespace between cells and rows
        }
        String s = new String(ch, start, length);
        for (Item item : items) {
            int visible = s.strip().length();
            item.chars += visible;
            if (linkDepth > 0) {
                item.linkChars += visible;
            }
        }
        if (headingLevel > 0 || inCell) {
            s = s.replaceAll("\\s+", " ");
        }
        append(s);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        characters(ch, start, length);
    }

    private void append(String s) {
        if (truncated) {
            return;
        }
        if (out.length() + s.length() > maxChars) {
            out.append(s, 0, (int) Math.max(0, maxChars - out.length()));
            truncated = true;
            return;
        }
        out.append(s);
    }

    private void trimTrailingBlanks() {
        int n = out.length();
        while (n > 0 && (out.charAt(n - 1) == ' ' || out.charAt(n - 1) == '\t')) {
            n--;
        }
        if (!truncated) {
            out.setLength(n);
        }
    }

    private void newLine() {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
            append("\n");
        }
    }

    private void blankLine() {
        newLine();
        int n = out.length();
        if (n >= 2 && !(out.charAt(n - 1) == '\n' && out.charAt(n - 2) == '\n')) {
            append("\n");
        }
    }

    private static String name(String localName, String qName) {
        String n = localName == null || localName.isEmpty() ? qName : localName;
        return n == null ? "" : n.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
