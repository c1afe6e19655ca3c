package dev.localrag.core.index;

import dev.localrag.core.testing.OpenSearchTestCluster;
import org.junit.jupiter.api.BeforeEach;

/**
 * The {@link VectorIndex} contract on a real 3-node OpenSearch cluster (k-NN plugin), each index
 * with 2 shards and 1 replica so that documents spread over nodes. Skipped when the cluster cannot
 * start.
 */
class OpenSearchVectorIndexContractIT extends VectorIndexContract {

    private OpenSearchTestCluster cluster;
    private String name;
    private static String previous;

    @Override
    protected VectorIndex open(IndexManifest manifest) {
        return OpenSearchVectorIndex.open(
                OpenSearchLocation.parse(cluster.url(name)), OpenSearchSettings.DEFAULT.withShards(2, 1), manifest);
    }

    /**
     * A new index name per test; the previous test's index is dropped here (the contract closes its
     * indexes after any method of this class could).
     */
    @BeforeEach
    void newIndex() {
        cluster = OpenSearchTestCluster.shared();
        name = OpenSearchTestCluster.newIndexName("contract");
        if (previous != null) {
            cluster.deleteIndex(previous);
        }
        previous = name;
    }
}
