package dev.localrag.core;

import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.chunk.RecursiveChunker;
import dev.localrag.core.config.IndexSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.Embedders;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.TextAnalysis;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.ollama.OllamaStatus;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An open index with the embedder that built it: everything ingest and queries need.
 *
 * @param index the Lucene index
 * @param embedder the embedder recorded in the index manifest
 */
public record OpenedIndex(VectorIndex index, Embedder embedder) implements AutoCloseable {

    /** When the embedding model of {@link #forWriting} is loaded. */
    public enum ModelLoading {
        /** At once: a missing or broken model fails the open. */
        EAGER,
        /**
         * When something needs embedding (or a new index its dimension): an ingest that finds
         * nothing to embed never loads the model.
         */
        ON_FIRST_USE
    }

    /** Opens (creating when absent) the configured index for writing, loading the model at once. */
    public static OpenedIndex forWriting(RagConfig config, Chunker chunker, Consumer<String> notices) {
        return forWriting(config, chunker, notices, ModelLoading.EAGER);
    }

    /**
     * Opens (creating when absent) the configured index for writing. Every writer (rag ingest,
     * {@code LocalRag}, the server) decides the index's manifest here:
     *
     * <ul>
     *   <li>an existing index keeps everything it was built with; settings asked for in {@link
     *       RagConfig#indexSettings()} or {@link RagConfig#embedder()} that differ from its manifest
     *       are an {@link dev.localrag.core.index.IndexMismatchException} thrown before anything is
     *       opened or loaded;
     *   <li>a new index gets the chosen embedder ({@link EmbedderChoice}) and its dimension, the
     *       chunker's description, and the vector format and text analysis of {@link
     *       RagConfig#indexSettings()} (defaults: float32 HNSW, {@code auto}).
     * </ul>
     *
     * @param notices receives one-line notices, e.g. which embedder a new index was given
     */
    public static OpenedIndex forWriting(
            RagConfig config, Chunker chunker, Consumer<String> notices, ModelLoading loading) {
        return forWriting(
                config,
                chunker,
                notices,
                spec -> loading == ModelLoading.EAGER
                        ? Embedders.create(spec, config.ollama())
                        : Embedders.lazy(spec, config.ollama()));
    }

    /**
     * Like {@link #forWriting(RagConfig, Chunker, Consumer)}, with an Ollama embedder that shares
     * {@code client}, so its bulk embedding waits behind the interactive requests (queries, chat) of
     * the same client's limiter; for a process that also answers, such as the server. The caller
     * closes the client after the index.
     */
    public static OpenedIndex forWriting(
            RagConfig config, Chunker chunker, Consumer<String> notices, OllamaClient client) {
        Checks.notNull(client, "client");
        return forWriting(config, chunker, notices, spec -> Embedders.createShared(spec, client));
    }

    private static OpenedIndex forWriting(
            RagConfig config, Chunker chunker, Consumer<String> notices, Function<EmbedderSpec, Embedder> embedders) {
        Path dir = config.indexDir();
        IndexSettings settings = config.indexSettings();
        IndexManifest existing = LuceneVectorIndex.readManifest(dir);
        VectorFormat format;
        TextAnalysis analysis;
        if (existing != null) { // an index keeps the analysis and vector format it was built with
            settings.checkExisting(dir, existing);
            format = existing.vectorFormat();
            analysis = existing.textAnalysis();
        } else {
            format = settings.newVectorFormat();
            analysis = settings.newTextAnalysis();
        }
        EmbedderChoice choice = EmbedderChoice.resolve(config, existing, probe(config));
        if (!choice.notice().isEmpty()) {
            notices.accept(choice.notice());
        }
        Embedder embedder = embedders.apply(choice.spec());
        try {
            int dimension = existing != null ? existing.dimension() : embedder.dimension();
            IndexManifest wanted = IndexManifest.of(choice.spec(), dimension, chunker.describe())
                    .withTextAnalysis(analysis)
                    .withVectorFormat(format);
            return new OpenedIndex(LuceneVectorIndex.open(dir, wanted), embedder);
        } catch (RuntimeException e) {
            embedder.close();
            throw e;
        }
    }

    /** Opens the configured index for searching; it must exist. */
    public static OpenedIndex forReading(RagConfig config) {
        LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(config.indexDir());
        try {
            EmbedderChoice choice = EmbedderChoice.resolve(config, index.manifest(), probe(config));
            return new OpenedIndex(index, Embedders.create(choice.spec(), config.ollama()));
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /** The default chunker for this configuration. */
    public static Chunker chunker(RagConfig config) {
        return new RecursiveChunker(config.chunking());
    }

    private static Supplier<OllamaStatus> probe(RagConfig config) {
        return () -> new OllamaProbe(config.ollama()).check();
    }

    @Override
    public void close() {
        try {
            index.close();
        } finally {
            embedder.close();
        }
    }
}
