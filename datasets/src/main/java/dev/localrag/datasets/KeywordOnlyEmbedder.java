package dev.localrag.datasets;

import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import java.util.List;

/**
 * Stands in for a model when only keyword search is evaluated: every passage gets the same
 * one-dimensional unit vector, so building the index costs no embedding. Vector search over such an
 * index is meaningless and refused.
 */
public final class KeywordOnlyEmbedder implements Embedder {

    /** Recorded in the eval index's manifest; not a model {@code rag search} can load. */
    public static final EmbedderSpec SPEC = new EmbedderSpec(EmbedderSpec.Provider.ONNX, "none-keyword-only");

    @Override
    public EmbedderSpec spec() {
        return SPEC;
    }

    @Override
    public int dimension() {
        return 1;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return texts.stream().map(t -> new float[] {1f}).toList();
    }

    @Override
    public float[] embedQuery(String query) {
        throw new UnsupportedOperationException(
                "this eval index was built for keyword search only; vector and hybrid modes need an embedder");
    }

    @Override
    public int preferredBatchSize() {
        return 4096;
    }
}
