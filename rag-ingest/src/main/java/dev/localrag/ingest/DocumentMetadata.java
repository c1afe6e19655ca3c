package dev.localrag.ingest;

import dev.localrag.core.chunk.Breadcrumb;
import dev.localrag.core.index.SourceDocument;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a parsed document becomes an index document: its id ({@code /docs/a.pdf}, or {@code
 * /docs/mail.eml!/report.pdf} for one embedded in a file), its breadcrumb root (the file or entry
 * name chunks are labelled with) and its filterable metadata.
 */
final class DocumentMetadata {

    /** Metadata key of a document's author, when its file names one (filterable: {@code --filter author=...}). */
    static final String AUTHOR = "author";
    /** Metadata key of a document's creation date from its file, ISO 8601 (compares as text). */
    static final String CREATED = "created";
    /** Metadata key of a document's language from its file's metadata. */
    static final String LANGUAGE = "language";
    /** Metadata key of the page count of paged formats (PDF, presentations), an Integer. */
    static final String PAGES = "pages";

    /** Metadata key set to "true" when some of a document's text was read by OCR (filterable: {@code --filter ocr=true}). */
    static final String OCR = "ocr";

    /** Metadata values are index terms: a file's odd 100 KB "author" is cut rather than failing the file. */
    private static final int MAX_METADATA_CHARS = 1000;

    private DocumentMetadata() {}

    /** The index id of {@code d} parsed from {@code file}. */
    static String id(Path file, ParsedDocument d) {
        return file + entrySuffix(d);
    }

    /**
     * The root the chunker starts breadcrumbs with: the document's title, or when it has none the
     * file name ({@code mail.eml!/report.pdf} for an embedded document); see {@link
     * Breadcrumb#rootFor}.
     */
    static String breadcrumbRoot(Path file, ParsedDocument d) {
        return Breadcrumb.rootFor(d.title(), file.getFileName() + entrySuffix(d));
    }

    /**
     * The file-name breadcrumb root of the stored document {@code documentId} of the file {@code
     * fileId}, or of the same document once the file is at {@code newFile} (what a rename changes:
     * a title root stays).
     */
    static String breadcrumbRoot(String fileId, String documentId, Path file) {
        return file.getFileName() + documentId.substring(fileId.length());
    }

    /** The index document of {@code d}: {@code file}'s hash, size and time, the parser's title, type and metadata. */
    static SourceDocument of(Path file, ParsedDocument d, SourceDocument fileFacts) {
        return new SourceDocument(
                        id(file, d),
                        d.title(),
                        d.mimeType(),
                        fileFacts.contentHash(),
                        fileFacts.size(),
                        fileFacts.modifiedMillis())
                .withMetadata(metadata(d));
    }

    /** The parser's author, creation date (ISO 8601, compares as text), language, page count and OCR flag; absent ones left out. */
    static Map<String, Object> metadata(ParsedDocument d) {
        Map<String, Object> m = new TreeMap<>();
        putText(m, AUTHOR, d.author());
        putText(m, CREATED, d.created());
        putText(m, LANGUAGE, d.language());
        if (d.pages() > 0) {
            m.put(PAGES, d.pages());
        }
        if (d.ocr()) {
            m.put(OCR, "true"); // metadata values are text or numbers
        }
        return m;
    }

    private static String entrySuffix(ParsedDocument d) {
        return d.embedded() ? "!" + d.embeddedPath() : "";
    }

    private static void putText(Map<String, Object> m, String key, String value) {
        String v = value.strip();
        if (!v.isEmpty()) {
            m.put(key, v.length() > MAX_METADATA_CHARS ? v.substring(0, MAX_METADATA_CHARS) : v);
        }
    }
}
