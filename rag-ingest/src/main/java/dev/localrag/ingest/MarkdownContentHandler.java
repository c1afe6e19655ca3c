package dev.localrag.ingest;

import java.util.Locale;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns Tika's XHTML into light Markdown, keeping the structure the chunker uses: {@code h1}..{@code
 * h6} become {@code #} headings, {@code pre} a fenced code block, table rows {@code | a | b |}, list
 * items {@code - }, paragraphs are separated by blank lines, and each PDF page ({@code <div
 * class="page">}) starts with a form feed. Plain text (a Markdown file, say) passes through as it is.
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
            default -> {}
        }
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
