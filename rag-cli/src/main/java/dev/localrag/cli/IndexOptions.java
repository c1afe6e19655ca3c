package dev.localrag.cli;

import dev.localrag.core.config.IndexSettings;
import dev.localrag.core.config.RagConfig;
import picocli.CommandLine.Option;

/** How a new index is built; flags over the config file's {@code index} settings. */
final class IndexOptions {

    private static final IndexSettings.Keys FLAGS =
            new IndexSettings.Keys("--vector-format", "--hnsw-m", "--hnsw-beam", "--oversample", "--text-analysis");

    @Option(
            names = "--vector-format",
            paramLabel = "ENC",
            description = "For a new index: how vectors are stored and searched: float32 | int8 | int4 | bbq"
                    + " (default: the config's index.vectorFormat, else float32). An existing index keeps its own;"
                    + " asking for another is an error.")
    String vectorFormat;

    @Option(
            names = "--hnsw-m",
            paramLabel = "N",
            description = "For a new index: HNSW neighbours per node, 2..512 (default: index.maxConn, else 16).")
    Integer maxConn;

    @Option(
            names = "--hnsw-beam",
            paramLabel = "N",
            description = "For a new index: HNSW candidates considered while building, 2..3200 (default:"
                    + " index.beamWidth, else 100).")
    Integer beamWidth;

    @Option(
            names = "--oversample",
            paramLabel = "N",
            description = "For a new index with int8, int4 or bbq vectors: candidates searched per hit before exact"
                    + " rescoring, 1..100 (default: index.oversample, else 1 for int8, 2 for int4, 5 for bbq).")
    Integer oversample;

    @Option(
            names = "--text-analysis",
            paramLabel = "english|cjk|auto",
            description = "For a new index: BM25 text analysis (default: index.textAnalysis, else auto: CJK bigrams"
                    + " and English stemming, decided per word).")
    String textAnalysis;

    /** {@code config} with these flags over its index settings. */
    RagConfig apply(RagConfig config) {
        IndexSettings flags = IndexSettings.parse(FLAGS, vectorFormat, maxConn, beamWidth, oversample, textAnalysis);
        return config.withIndexSettings(config.indexSettings().overriddenBy(flags));
    }
}
