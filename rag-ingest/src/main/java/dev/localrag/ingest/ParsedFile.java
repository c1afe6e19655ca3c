package dev.localrag.ingest;

import java.util.List;

/**
 * Everything extracted from one file: the file's own document first, then the documents embedded
 * in it (attachments, archive entries, files inside an office document).
 *
 * @param documents the file's document and its embedded documents; the first is never embedded
 * @param problems what went wrong without failing the whole file (an encrypted attachment, a text
 *     cut at the size limit), one sentence each
 */
public record ParsedFile(List<ParsedDocument> documents, List<String> problems) {

    public ParsedFile {
        documents = List.copyOf(documents);
        problems = List.copyOf(problems);
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("documents must not be empty");
        }
    }

    public static ParsedFile of(ParsedDocument document) {
        return new ParsedFile(List.of(document), List.of());
    }
}
