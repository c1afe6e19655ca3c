package dev.localrag.core.index;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.embed.EmbedderSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an index was built with, stored in every Lucene commit and checked on open.
 *
 * @param formatVersion LocalRAG's index layout version
 * @param embedder the embedder that made the vectors; queries must use the same one
 * @param dimension vector length
 * @param similarity always {@code dot_product}: vectors are stored normalised to unit length
 * @param analyzer the BM25 text analyzer
 * @param chunking chunker settings, e.g. {@code recursive:400/50}
 */
public record IndexManifest(
        int formatVersion, EmbedderSpec embedder, int dimension, String similarity, String analyzer, String chunking) {

    public static final int FORMAT_VERSION = 1;
    public static final String SIMILARITY = "dot_product";
    public static final String ANALYZER = "english";

    static final String KEY_FORMAT = "localrag.format";
    static final String KEY_EMBEDDER = "localrag.embedder";
    static final String KEY_DIMENSION = "localrag.dimension";
    static final String KEY_SIMILARITY = "localrag.similarity";
    static final String KEY_ANALYZER = "localrag.analyzer";
    static final String KEY_CHUNKING = "localrag.chunking";

    public static IndexManifest of(EmbedderSpec embedder, int dimension, String chunking) {
        return new IndexManifest(FORMAT_VERSION, embedder, dimension, SIMILARITY, ANALYZER, chunking);
    }

    Map<String, String> toUserData() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_FORMAT, Integer.toString(formatVersion));
        m.put(KEY_EMBEDDER, embedder.toString());
        m.put(KEY_DIMENSION, Integer.toString(dimension));
        m.put(KEY_SIMILARITY, similarity);
        m.put(KEY_ANALYZER, analyzer);
        m.put(KEY_CHUNKING, chunking);
        return m;
    }

    static IndexManifest fromUserData(Path dir, Map<String, String> data) {
        String format = data.get(KEY_FORMAT);
        if (format == null) {
            throw new ConfigurationException("Folder " + dir + " holds a Lucene index that LocalRAG did not write "
                    + "(no manifest). Use another --index folder.");
        }
        try {
            return new IndexManifest(
                    Integer.parseInt(format),
                    EmbedderSpec.parse(data.get(KEY_EMBEDDER)),
                    Integer.parseInt(data.get(KEY_DIMENSION)),
                    data.get(KEY_SIMILARITY),
                    data.get(KEY_ANALYZER),
                    data.getOrDefault(KEY_CHUNKING, ""));
        } catch (RuntimeException e) {
            throw new ConfigurationException(
                    "The manifest of index " + dir + " is damaged (" + e.getMessage() + "). Rebuild the index: delete "
                            + dir + " and ingest again.",
                    e);
        }
    }

    /** Throws a clear error when {@code requested} is not the embedder this index was built with. */
    public void checkEmbedder(Path dir, EmbedderSpec requested) {
        if (!embedder.equals(requested)) {
            throw embedderMismatch(dir, requested.toString());
        }
    }

    private IndexMismatchException embedderMismatch(Path dir, String requested) {
        return new IndexMismatchException("Index " + dir + " was built with embedder " + embedder + " (" + dimension
                + "-d), but " + requested + " was asked for. Drop --embedder (and the config's embedder) to use the"
                + " index's own, or build a new index with --index NEW_DIR (or delete " + dir + ").");
    }

    /** Throws a clear error when an existing index cannot be used as {@code wanted} asks. */
    void checkCompatible(Path dir, IndexManifest wanted) {
        if (formatVersion != FORMAT_VERSION) {
            throw new IndexMismatchException("Index " + dir + " has format version " + formatVersion
                    + " but this LocalRAG reads version " + FORMAT_VERSION + ". Rebuild it: delete " + dir
                    + " and ingest again.");
        }
        if (!embedder.equals(wanted.embedder()) || dimension != wanted.dimension()) {
            throw embedderMismatch(dir, wanted.embedder() + " (" + wanted.dimension() + "-d)");
        }
        if (!similarity.equals(wanted.similarity()) || !analyzer.equals(wanted.analyzer())) {
            throw new IndexMismatchException("Index " + dir + " uses similarity " + similarity + " and analyzer "
                    + analyzer + ", this LocalRAG expects " + wanted.similarity() + " and " + wanted.analyzer()
                    + ". Rebuild it: delete " + dir + " and ingest again.");
        }
    }
}
