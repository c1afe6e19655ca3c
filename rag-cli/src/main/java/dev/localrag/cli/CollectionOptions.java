package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.RagConfig;
import dev.localrag.server.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The indexes {@code rag serve} and {@code rag mcp} serve, and the folders they may ingest. */
final class CollectionOptions {

    @Option(
            names = "--collection",
            paramLabel = "NAME=DIR",
            description = "Serve the index in DIR as collection NAME (repeatable).")
    List<String> collections = new ArrayList<>();

    @Option(
            names = "--default-collection",
            paramLabel = "NAME",
            description = "Collection used when a request names none (default: 'default').")
    String defaultCollection;

    @Option(
            names = "--allow-root",
            paramLabel = "DIR",
            description = "Folder that ingest requests (POST /v1/ingest, the MCP tool ingest_path) may read"
                    + " (repeatable; none = ingest of server paths is off).")
    List<Path> allowRoots = new ArrayList<>();

    /** The index from --index / config as collection 'default', then each --collection; and the roots. */
    ServerConfig.Builder apply(ServerConfig.Builder builder, RagConfig base) {
        Set<String> names = new HashSet<>();
        builder.collection(ServerConfig.DEFAULT_COLLECTION, base);
        names.add(ServerConfig.DEFAULT_COLLECTION);
        for (String spec : collections) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new ConfigurationException("--collection " + spec + " must look like NAME=DIR");
            }
            String name = spec.substring(0, eq).strip();
            if (!names.add(name)) {
                throw new ConfigurationException("--collection " + name + " is given twice (or is 'default')");
            }
            Path dir = Path.of(spec.substring(eq + 1).strip()).toAbsolutePath().normalize();
            builder.collection(name, base.withIndexDir(dir));
        }
        if (defaultCollection != null) {
            builder.defaultCollection(defaultCollection);
        }
        return builder.ingestRoots(allowRoots);
    }
}
