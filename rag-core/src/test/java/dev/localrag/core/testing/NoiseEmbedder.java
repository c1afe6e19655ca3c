package dev.localrag.core.testing;

import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.Vectors;
import java.util.List;
import java.util.Random;

/**
 * A test embedder that cannot read the text: one pseudo-random unit vector per text (seeded by the
 * text), so equal texts get equal vectors and everything else is unrelated, like a model meeting a
 * language it never learnt.
 */
public final class NoiseEmbedder implements Embedder {

    private final EmbedderSpec spec;
    private final int dimension;

    /** Records {@code spec}, e.g. a {@link HashingEmbedder}'s, so it can search that embedder's index. */
    public NoiseEmbedder(EmbedderSpec spec, int dimension) {
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
        return texts.stream().map(this::embedQuery).toList();
    }

    @Override
    public float[] embedQuery(String text) {
        Random random = new Random(text.hashCode());
        float[] v = new float[dimension];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalize(v);
    }
}
