package dev.localrag.core.testing;

import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast, deterministic test embedder: a bag of lower-cased words hashed into {@code dimension}
 * buckets, normalised. Texts sharing words get similar vectors, so retrieval through it is
 * meaningful without loading a model.
 */
public final class HashingEmbedder implements Embedder {

    private final EmbedderSpec spec;
    private final int dimension;
    private final AtomicInteger documentCalls = new AtomicInteger();
    private final AtomicInteger documentsEmbedded = new AtomicInteger();

    public HashingEmbedder(int dimension) {
        this(new EmbedderSpec(EmbedderSpec.Provider.ONNX, "test-hashing-" + dimension), dimension);
    }

    public HashingEmbedder(EmbedderSpec spec, int dimension) {
        this.spec = spec;
        this.dimension = dimension;
    }

    @Override
    public EmbedderSpec spec() {
        return spec;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        documentCalls.incrementAndGet();
        documentsEmbedded.addAndGet(texts.size());
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(vector(t));
        }
        return out;
    }

    @Override
    public float[] embedQuery(String query) {
        return vector(query);
    }

    /** Number of {@link #embedDocuments} calls so far. */
    public int documentCalls() {
        return documentCalls.get();
    }

    /** Number of texts passed to {@link #embedDocuments} so far. */
    public int documentsEmbedded() {
        return documentsEmbedded.get();
    }

    public float[] vector(String text) {
        float[] v = new float[dimension];
        v[0] = 1e-3f; // never a zero vector
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode(), dimension)] += 1f;
            }
        }
        return Vectors.normalize(v);
    }
}
