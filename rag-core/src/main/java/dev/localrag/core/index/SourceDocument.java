package dev.localrag.core.index;

import dev.localrag.core.Checks;

/**
 * A source document: a file (or URI) that owns chunks in the index.
 *
 * @param id canonical absolute path or URI; replacing or deleting uses it
 * @param title document title (from metadata, else the file name)
 * @param mimeType detected media type
 * @param contentHash SHA-256 of the source bytes, hex
 * @param size bytes
 * @param modifiedMillis last-modified time
 */
public record SourceDocument(
        String id, String title, String mimeType, String contentHash, long size, long modifiedMillis) {

    public SourceDocument {
        Checks.notBlank(id, "id");
        title = title == null ? "" : title;
        mimeType = mimeType == null ? "" : mimeType;
        contentHash = contentHash == null ? "" : contentHash;
    }
}
