package dev.localrag.core.index;

import dev.localrag.core.testing.OpenSearchTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    void newIndex() throws Exception {
        cluster = OpenSearchTestCluster.shared();
        name = OpenSearchTestCluster.newIndexName("contract");
        if (previous != null) {
            try (HttpClient http = HttpClient.newHttpClient()) {
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + cluster.httpPorts().getFirst() + "/" + previous))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
        previous = name;
    }
}
