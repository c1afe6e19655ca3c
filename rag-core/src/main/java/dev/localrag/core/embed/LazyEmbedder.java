package dev.localrag.core.embed;

import dev.localrag.core.Checks;
import java.util.List;
import java.util.function.Supplier;

/**
 * Creates the real embedder on first use. Loading the in-process model takes seconds; an ingest
 * that finds nothing to embed (the common re-run) never pays for it. See {@link Embedders#lazy}.
 */
final class LazyEmbedder implements Embedder {

    private final EmbedderSpec spec;
    private final Supplier<Embedder> factory;
    private Embedder delegate;

    LazyEmbedder(EmbedderSpec spec, Supplier<Embedder> factory) {
        this.spec = Checks.notNull(spec, "spec");
        this.factory = Checks.notNull(factory, "factory");
    }

    private synchronized Embedder delegate() {
        if (delegate == null) {
            delegate = factory.get();
        }
        return delegate;
    }

    @Override
    public EmbedderSpec spec() {
        return spec;
    }

    @Override
    public int dimension() {
        return delegate().dimension();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return delegate().embedDocuments(texts);
    }

    @Override
    public float[] embedQuery(String query) {
        return delegate().embedQuery(query);
    }

    @Override
    public int preferredBatchSize() {
        return delegate().preferredBatchSize();
    }

    @Override
    public int concurrency() {
        return delegate().concurrency();
    }

    @Override
    public synchronized void close() {
        if (delegate != null) {
            delegate.close();
        }
    }
}
