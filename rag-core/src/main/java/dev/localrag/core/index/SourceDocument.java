package dev.localrag.core.index;

import dev.localrag.core.Checks;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A source document: a file (or URI) that owns chunks in the index.
 *
 * <p>Every chunk of a document can be filtered on the document's metadata (see {@link
 * SearchRequest#filter()}): the built-in keys {@value #PATH} (the id), {@value #TITLE}, {@value
 * #MIME_TYPE}, {@value #SIZE} and {@value #MODIFIED} (epoch millis), plus the extra {@code
 * metadata}.
 *
 * @param id canonical absolute path or URI; replacing or deleting uses it
 * @param title document title (from metadata, else the file name)
 * @param mimeType detected media type
 * @param contentHash SHA-256 of the source bytes, hex
 * @param size bytes
 * @param modifiedMillis last-modified time
 * @param metadata extra filterable metadata: values are String, UUID, Integer, Long, Float or
 *     Double (the types LangChain4j's {@code Metadata} holds); keys must not be built-in keys
 */
public record SourceDocument(
        String id,
        String title,
        String mimeType,
        String contentHash,
        long size,
        long modifiedMillis,
        Map<String, Object> metadata) {

    public static final String PATH = "path";
    public static final String TITLE = "title";
    public static final String MIME_TYPE = "mime_type";
    public static final String SIZE = "size";
    public static final String MODIFIED = "modified";

    /** Metadata keys the index sets from the document itself. */
    public static final Set<String> BUILT_IN_KEYS = Set.of(PATH, TITLE, MIME_TYPE, SIZE, MODIFIED);

    public SourceDocument {
        Checks.notBlank(id, "id");
        title = title == null ? "" : title;
        mimeType = mimeType == null ? "" : mimeType;
        contentHash = contentHash == null ? "" : contentHash;
        metadata = checkMetadata(id, metadata);
    }

    /** A document without extra metadata. */
    public SourceDocument(
            String id, String title, String mimeType, String contentHash, long size, long modifiedMillis) {
        this(id, title, mimeType, contentHash, size, modifiedMillis, Map.of());
    }

    /** This document with {@code metadata} as its extra metadata. */
    public SourceDocument withMetadata(Map<String, ?> metadata) {
        return new SourceDocument(id, title, mimeType, contentHash, size, modifiedMillis, Map.copyOf(metadata));
    }

    private static Map<String, Object> checkMetadata(String id, Map<String, Object> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new TreeMap<>();
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("metadata of " + id + " has a blank key");
            }
            if (BUILT_IN_KEYS.contains(key)) {
                throw new IllegalArgumentException("metadata key \"" + key + "\" of " + id
                        + " is built in (set from the document itself: " + BUILT_IN_KEYS + "); rename it");
            }
            if (!(value instanceof String
                    || value instanceof UUID
                    || value instanceof Integer
                    || value instanceof Long
                    || value instanceof Float
                    || value instanceof Double)) {
                throw new IllegalArgumentException("metadata \"" + key + "\" of " + id + " has a value of type "
                        + (value == null ? "null" : value.getClass().getName())
                        + "; use String, UUID, Integer, Long, Float or Double");
            }
            copy.put(key, value);
        }
        return Collections.unmodifiableMap(copy);
    }
}
