package dev.localrag.core.langchain4j;

import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.OpenSearchLocation;
import dev.localrag.core.index.OpenSearchSettings;
import dev.localrag.core.index.OpenSearchVectorIndex;
import dev.localrag.core.testing.HashingEmbedder;
import dev.localrag.core.testing.OpenSearchTestCluster;

/**
 * An {@link IndexEmbeddingStore} over a fresh index (2 shards, 1 replica, so entries spread over
 * nodes) on the shared OpenSearch test cluster, for a whole test class: opening an index per test
 * would cost more than the tests; the contract's tests empty the store before each.
 */
record OpenSearchTestStore(
        OpenSearchTestCluster cluster, String name, OpenSearchVectorIndex index, IndexEmbeddingStore store)
        implements AutoCloseable {

    /** Skips the calling test class when the cluster cannot start. */
    static OpenSearchTestStore open(String prefix, HashingEmbedder embedder) {
        OpenSearchTestCluster cluster = OpenSearchTestCluster.shared();
        String name = OpenSearchTestCluster.newIndexName(prefix);
        OpenSearchVectorIndex index = OpenSearchVectorIndex.open(
                OpenSearchLocation.parse(cluster.url(name)),
                OpenSearchSettings.DEFAULT.withShards(2, 1),
                IndexManifest.of(embedder.spec(), embedder.dimension(), "none"));
        return new OpenSearchTestStore(cluster, name, index, new IndexEmbeddingStore(index));
    }

    /** Closes the index and deletes it from the cluster. */
    @Override
    public void close() {
        try {
            index.close();
        } finally {
            cluster.deleteIndex(name);
        }
    }
}
