package dev.localrag.core.embed;

import java.util.List;

/**
 * Turns text into unit-length vectors. Documents and queries are embedded differently because the
 * models we use are trained with a query instruction.
 */
public interface Embedder extends AutoCloseable {

    EmbedderSpec spec();

    /** Vector length; may ask the model once. */
    int dimension();

    /** One unit-length vector per text, in order. */
    List<float[]> embedDocuments(List<String> texts);

    /** A unit-length vector for a search query. */
    float[] embedQuery(String query);

    /** Largest number of texts worth sending in one call. */
    default int preferredBatchSize() {
        return 32;
    }

    /**
     * How many {@link #embedDocuments} calls may usefully run at once: 1 for a model that already
     * uses every core per call; more for servers that take requests in parallel (a pool of servers:
     * the sum of their {@code maxInFlight}).
     */
    default int concurrency() {
        return 1;
    }

    @Override
    default void close() {}
}
