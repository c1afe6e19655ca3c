package dev.localrag.core;

import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.chunk.RecursiveChunker;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.Embedders;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.ollama.OllamaStatus;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An open index with the embedder that built it: everything ingest and queries need.
 *
 * @param index the Lucene index
 * @param embedder the embedder recorded in the index manifest
 */
public record OpenedIndex(LuceneVectorIndex index, Embedder embedder) implements AutoCloseable {

    /** Opens (creating when absent) the configured index for writing. */
    public static OpenedIndex forWriting(RagConfig config, Chunker chunker, Consumer<String> notices) {
        IndexManifest existing = LuceneVectorIndex.readManifest(config.indexDir());
        EmbedderChoice choice = EmbedderChoice.resolve(config, existing, probe(config));
        if (!choice.notice().isEmpty()) {
            notices.accept(choice.notice());
        }
        Embedder embedder = Embedders.create(choice.spec(), config.ollama());
        try {
            int dimension = existing != null ? existing.dimension() : embedder.dimension();
            IndexManifest wanted = IndexManifest.of(choice.spec(), dimension, chunker.describe());
            if (existing != null) { // an index keeps the analysis and vector format it was built with
                wanted = wanted.withTextAnalysis(existing.textAnalysis()).withVectorFormat(existing.vectorFormat());
            }
            return new OpenedIndex(LuceneVectorIndex.open(config.indexDir(), wanted), embedder);
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
