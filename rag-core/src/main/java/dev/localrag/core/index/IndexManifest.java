package dev.localrag.core.index;

import dev.localrag.core.Checks;
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
 * @param analyzer the BM25 text analysis, a {@link TextAnalysis#id()}
 * @param chunking chunker settings, e.g. {@code recursive:400/50}
 * @param vectorFormat how vectors are stored and searched (HNSW parameters, quantization)
 * @param hybridVectorWeight the vector weight of hybrid search calibrated for this index by {@link
 *     HybridCalibration}, in [0, 1], or NaN when not calibrated ({@link HybridFusion#DEFAULT}'s then)
 */
public record IndexManifest(
        int formatVersion,
        EmbedderSpec embedder,
        int dimension,
        String similarity,
        String analyzer,
        String chunking,
        VectorFormat vectorFormat,
        double hybridVectorWeight) {

    /** 2: per-chunk ids and filterable document metadata, text analysis and vector format recorded. */
    public static final int FORMAT_VERSION = 2;

    public static final String SIMILARITY = "dot_product";
    /** The text analysis of new indexes: {@link TextAnalysis#AUTO}. */
    public static final String ANALYZER = TextAnalysis.AUTO.id();

    static final String KEY_FORMAT = "localrag.format";
    static final String KEY_EMBEDDER = "localrag.embedder";
    static final String KEY_DIMENSION = "localrag.dimension";
    static final String KEY_SIMILARITY = "localrag.similarity";
    static final String KEY_ANALYZER = "localrag.analyzer";
    static final String KEY_CHUNKING = "localrag.chunking";
    static final String KEY_VECTOR_FORMAT = "localrag.vector_format";
    static final String KEY_HYBRID_VECTOR_WEIGHT = "localrag.hybrid_vector_weight";

    public IndexManifest {
        Checks.notNull(embedder, "embedder");
        Checks.positive(dimension, "dimension");
        Checks.notNull(similarity, "similarity");
        Checks.notNull(analyzer, "analyzer");
        chunking = chunking == null ? "" : chunking;
        Checks.notNull(vectorFormat, "vectorFormat");
        if (!Double.isNaN(hybridVectorWeight) && !(hybridVectorWeight >= 0 && hybridVectorWeight <= 1)) {
            throw new IllegalArgumentException(
                    "hybridVectorWeight must be between 0 and 1 (or NaN), but was " + hybridVectorWeight);
        }
    }

    /** A manifest without a calibrated hybrid weight. */
    public IndexManifest(
            int formatVersion,
            EmbedderSpec embedder,
            int dimension,
            String similarity,
            String analyzer,
            String chunking,
            VectorFormat vectorFormat) {
        this(formatVersion, embedder, dimension, similarity, analyzer, chunking, vectorFormat, Double.NaN);
    }

    /** The layout before vector formats were configurable: float32 HNSW with default parameters. */
    public IndexManifest(
            int formatVersion,
            EmbedderSpec embedder,
            int dimension,
            String similarity,
            String analyzer,
            String chunking) {
        this(formatVersion, embedder, dimension, similarity, analyzer, chunking, VectorFormat.DEFAULT);
    }

    /** A manifest for a new index: {@link TextAnalysis#AUTO}, float32 HNSW. */
    public static IndexManifest of(EmbedderSpec embedder, int dimension, String chunking) {
        return new IndexManifest(
                FORMAT_VERSION, embedder, dimension, SIMILARITY, ANALYZER, chunking, VectorFormat.DEFAULT);
    }

    public IndexManifest withTextAnalysis(TextAnalysis analysis) {
        return new IndexManifest(
                formatVersion,
                embedder,
                dimension,
                similarity,
                analysis.id(),
                chunking,
                vectorFormat,
                hybridVectorWeight);
    }

    public IndexManifest withVectorFormat(VectorFormat format) {
        return new IndexManifest(
                formatVersion, embedder, dimension, similarity, analyzer, chunking, format, hybridVectorWeight);
    }

    /** This manifest with {@code weight} as its calibrated hybrid vector weight (NaN: none). */
    public IndexManifest withHybridVectorWeight(double weight) {
        return new IndexManifest(
                formatVersion, embedder, dimension, similarity, analyzer, chunking, vectorFormat, weight);
    }

    /** The vector weight hybrid search uses by default here: the calibrated one, else {@link HybridFusion#DEFAULT}'s. */
    public double defaultVectorWeight() {
        return Double.isNaN(hybridVectorWeight) ? HybridFusion.DEFAULT.vectorWeight() : hybridVectorWeight;
    }

    /** The text analysis this index was built with. */
    public TextAnalysis textAnalysis() {
        return TextAnalysis.parse(analyzer);
    }

    Map<String, String> toUserData() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(KEY_FORMAT, Integer.toString(formatVersion));
        m.put(KEY_EMBEDDER, embedder.toString());
        m.put(KEY_DIMENSION, Integer.toString(dimension));
        m.put(KEY_SIMILARITY, similarity);
        m.put(KEY_ANALYZER, analyzer);
        m.put(KEY_CHUNKING, chunking);
        m.put(KEY_VECTOR_FORMAT, vectorFormat.toString());
        if (!Double.isNaN(hybridVectorWeight)) {
            m.put(KEY_HYBRID_VECTOR_WEIGHT, Double.toString(hybridVectorWeight));
        }
        return m;
    }

    static IndexManifest fromUserData(Path dir, Map<String, String> data) {
        if (data.get(KEY_FORMAT) == null) {
            throw new ConfigurationException("Folder " + dir + " holds a Lucene index that LocalRAG did not write "
                    + "(no manifest). Use another --index folder.");
        }
        return fromUserData(dir.toString(), data);
    }

    /** Reads a manifest stored as key-value pairs ({@code localrag.*}) by the index at {@code location}. */
    static IndexManifest fromUserData(String location, Map<String, String> data) {
        String format = data.get(KEY_FORMAT);
        try {
            TextAnalysis.parse(data.get(KEY_ANALYZER));
            return new IndexManifest(
                    Integer.parseInt(format),
                    EmbedderSpec.parse(data.get(KEY_EMBEDDER)),
                    Integer.parseInt(data.get(KEY_DIMENSION)),
                    data.get(KEY_SIMILARITY),
                    data.get(KEY_ANALYZER),
                    data.getOrDefault(KEY_CHUNKING, ""),
                    data.containsKey(KEY_VECTOR_FORMAT)
                            ? VectorFormat.parse(data.get(KEY_VECTOR_FORMAT))
                            : VectorFormat.DEFAULT,
                    data.containsKey(KEY_HYBRID_VECTOR_WEIGHT)
                            ? Double.parseDouble(data.get(KEY_HYBRID_VECTOR_WEIGHT))
                            : Double.NaN);
        } catch (RuntimeException e) {
            throw new ConfigurationException(
                    "The manifest of index " + location + " is damaged (" + e.getMessage()
                            + "). Rebuild the index: delete " + location + " and ingest again.",
                    e);
        }
    }

    /** Throws a clear error when {@code requested} is not the embedder this index was built with. */
    public void checkEmbedder(Path dir, EmbedderSpec requested) {
        checkEmbedder(dir.toString(), requested);
    }

    /** Like {@link #checkEmbedder(Path, EmbedderSpec)} for an index at {@code location} (a folder or a URL). */
    public void checkEmbedder(String dir, EmbedderSpec requested) {
        if (!embedder.equals(requested)) {
            throw embedderMismatch(dir, requested.toString());
        }
    }

    private IndexMismatchException embedderMismatch(String dir, String requested) {
        return new IndexMismatchException("Index " + dir + " was built with embedder " + embedder + " (" + dimension
                + "-d), but " + requested + " was asked for. Drop --embedder (and the config's embedder) to use the"
                + " index's own, or build a new index with --index NEW_DIR (or delete " + dir + ").");
    }

    /**
     * Throws a clear error when {@code requested} chunking (a {@link
     * dev.localrag.core.chunk.Chunker#describe()}) is not the one this index's chunks were made with,
     * so one index never holds chunks of two kinds. An index that recorded no chunking accepts any,
     * and a writer that does not chunk ({@code ""}, e.g. the LangChain4j store) is accepted.
     */
    public void checkChunking(Path dir, String requested) {
        checkChunking(dir.toString(), requested);
    }

    /** Like {@link #checkChunking(Path, String)} for an index at {@code location} (a folder or a URL). */
    public void checkChunking(String dir, String requested) {
        if (!chunking.isEmpty() && !requested.isEmpty() && !chunking.equals(requested)) {
            throw new IndexMismatchException("Index " + dir + " was built with chunking " + chunking + ", but "
                    + requested + " was asked for (the config's chunking.maxTokens / chunking.overlapTokens). Use the"
                    + " settings the index was built with, or rebuild it: delete " + dir + " and ingest again (or"
                    + " ingest into another --index folder).");
        }
    }

    /** Throws a clear error when an existing index cannot be used as {@code wanted} asks. */
    void checkCompatible(Path dir, IndexManifest wanted) {
        checkCompatible(dir.toString(), wanted);
    }

    void checkCompatible(String dir, IndexManifest wanted) {
        if (formatVersion != FORMAT_VERSION) {
            throw new IndexMismatchException("Index " + dir + " has format version " + formatVersion
                    + " but this LocalRAG reads version " + FORMAT_VERSION + ". Rebuild it: delete " + dir
                    + " and ingest again.");
        }
        if (!embedder.equals(wanted.embedder()) || dimension != wanted.dimension()) {
            throw embedderMismatch(dir, wanted.embedder() + " (" + wanted.dimension() + "-d)");
        }
        if (!similarity.equals(wanted.similarity()) || !analyzer.equals(wanted.analyzer())) {
            throw new IndexMismatchException("Index " + dir + " uses similarity " + similarity + " and text analysis "
                    + analyzer + ", but " + wanted.similarity() + " and " + wanted.analyzer() + " were asked for."
                    + " Open it with its own settings (see its manifest), or rebuild it: delete " + dir
                    + " and ingest again.");
        }
        checkChunking(dir, wanted.chunking());
        if (!vectorFormat.equals(wanted.vectorFormat())) {
            throw new IndexMismatchException("Index " + dir + " stores vectors as " + vectorFormat + ", but "
                    + wanted.vectorFormat() + " was asked for. Open it with its own vector format, or rebuild it:"
                    + " delete " + dir + " and ingest again.");
        }
    }
}
