package dev.localrag.core.index;

import dev.localrag.core.Checks;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach and build an index on OpenSearch ({@code index.opensearch.*} in the config file,
 * {@code LOCALRAG_OPENSEARCH_*} in the environment).
 *
 * @param username basic-auth user, or null
 * @param password basic-auth password (with {@code username})
 * @param apiKey an API key sent as {@code Authorization: ApiKey KEY} (instead of a user), or null
 * @param caFile PEM file of the CA that signed the cluster's certificates (TLS), or null for the
 *     JVM's trust store
 * @param shards primary shards of a new index
 * @param replicas copies of each shard on other nodes, for a new index
 * @param timeout per-request timeout; a request that fails on one node is retried on the others
 *     until this much time has passed
 */
public record OpenSearchSettings(
        String username, String password, String apiKey, Path caFile, int shards, int replicas, Duration timeout) {

    public static final int DEFAULT_SHARDS = 1;
    public static final int DEFAULT_REPLICAS = 1;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** No credentials, the JVM's trust store, 1 shard with 1 replica, a 60 s timeout. */
    public static final OpenSearchSettings DEFAULT =
            new OpenSearchSettings(null, null, null, null, DEFAULT_SHARDS, DEFAULT_REPLICAS, DEFAULT_TIMEOUT);

    public OpenSearchSettings {
        username = blankToNull(username);
        password = blankToNull(password);
        apiKey = blankToNull(apiKey);
        if (username != null && apiKey != null) {
            throw new IllegalArgumentException(
                    "index.opensearch.username and index.opensearch.apiKey are both set: use one of them");
        }
        if (username != null && password == null) {
            throw new IllegalArgumentException("index.opensearch.username is set without index.opensearch.password");
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("index.opensearch.password is set without index.opensearch.username");
        }
        Checks.between(shards, 1, 1024, "index.opensearch.shards");
        Checks.between(replicas, 0, 16, "index.opensearch.replicas");
        Checks.notNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("index.opensearch.timeoutSeconds must be > 0, but was " + timeout);
        }
    }

    public OpenSearchSettings withShards(int shards, int replicas) {
        return new OpenSearchSettings(username, password, apiKey, caFile, shards, replicas, timeout);
    }

    public OpenSearchSettings withBasicAuth(String username, String password) {
        return new OpenSearchSettings(username, password, apiKey, caFile, shards, replicas, timeout);
    }

    public OpenSearchSettings withApiKey(String apiKey) {
        return new OpenSearchSettings(username, password, apiKey, caFile, shards, replicas, timeout);
    }

    public OpenSearchSettings withCaFile(Path caFile) {
        return new OpenSearchSettings(username, password, apiKey, caFile, shards, replicas, timeout);
    }

    public OpenSearchSettings withTimeout(Duration timeout) {
        return new OpenSearchSettings(username, password, apiKey, caFile, shards, replicas, timeout);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Never prints secrets. */
    @Override
    public String toString() {
        return "OpenSearchSettings[auth="
                + (apiKey != null ? "api-key" : username != null ? "user " + username : "none") + ", caFile=" + caFile
                + ", shards=" + shards + ", replicas=" + replicas + ", timeout=" + timeout + "]";
    }
}
