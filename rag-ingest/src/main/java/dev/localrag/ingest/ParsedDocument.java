package dev.localrag.ingest;

import dev.localrag.core.Checks;

/**
 * Text and metadata extracted from one file, or from one document embedded in it.
 *
 * @param embeddedPath empty for the file itself; for an embedded document its path inside the file,
 *     e.g. {@code /report.pdf} for a mail attachment (the index id becomes {@code mail.eml!/report.pdf})
 * @param text the full text as light Markdown (headings, code fences, tables; a form feed starts
 *     each page), never silently truncated
 * @param title from the document's metadata or front matter, else its name
 * @param mimeType the detected media type
 * @param author creator from the metadata, or empty
 * @param created creation date from the metadata (ISO 8601), or empty
 * @param language language from the metadata, or empty
 * @param pages page count for paged formats, else 0
 * @param ocr some of the text was read from pictures by OCR
 */
public record ParsedDocument(
        String embeddedPath,
        String text,
        String title,
        String mimeType,
        String author,
        String created,
        String language,
        int pages,
        boolean ocr) {

    public ParsedDocument {
        embeddedPath = embeddedPath == null ? "" : embeddedPath;
        Checks.notNull(text, "text");
        title = title == null ? "" : title;
        mimeType = mimeType == null ? "" : mimeType;
        author = author == null ? "" : author;
        created = created == null ? "" : created;
        language = language == null ? "" : language;
    }

    /** A plain document without metadata: what simple parsers and tests produce. */
    public static ParsedDocument of(String text, String title, String mimeType) {
        return new ParsedDocument("", text, title, mimeType, "", "", "", 0, false);
    }

    public boolean embedded() {
        return !embeddedPath.isEmpty();
    }
}
