package dev.localrag.core.embed;

import dev.localrag.core.Checks;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Creates the real embedder on first use. Loading the in-process model takes seconds; an ingest
 * that finds nothing to embed (the common re-run) never pays for it. See {@link Embedders#lazy}.
 * {@link #startLoading()} begins the load on a background thread for a caller that will embed soon
 * (a search loads the model while it opens the index).
 */
final class LazyEmbedder implements Embedder {

    private final EmbedderSpec spec;
    private final Supplier<Embedder> factory;
    private Embedder delegate; // guarded by this
    private CompletableFuture<Embedder> loading; // guarded by this; set between startLoading() and first use

    LazyEmbedder(EmbedderSpec spec, Supplier<Embedder> factory) {
        this.spec = Checks.notNull(spec, "spec");
        this.factory = Checks.notNull(factory, "factory");
    }

    /** Starts creating the embedder on a daemon thread, unless it exists or is being made. */
    synchronized void startLoading() {
        if (delegate != null || loading != null) {
            return;
        }
        CompletableFuture<Embedder> load = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        load.complete(factory.get());
                    } catch (Throwable e) {
                        load.completeExceptionally(e);
                    }
                },
                "embedder-load");
        thread.setDaemon(true);
        thread.start();
        loading = load;
    }

    private synchronized Embedder delegate() {
        if (delegate == null) {
            if (loading != null) {
                CompletableFuture<Embedder> load = loading;
                loading = null; // a failed load is tried again on the next use, as without startLoading()
                delegate = await(load);
            } else {
                delegate = factory.get();
            }
        }
        return delegate;
    }

    /** The loaded embedder, or the very exception its creation threw. */
    private static Embedder await(CompletableFuture<Embedder> load) {
        try {
            return load.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
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
        if (loading != null) { // started but never used: closed once it is made, without waiting here
            loading.thenAccept(Embedder::close);
            loading = null;
        }
        if (delegate != null) {
            delegate.close();
        }
    }
}
