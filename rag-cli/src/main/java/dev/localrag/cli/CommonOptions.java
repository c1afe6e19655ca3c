package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.IndexLocation;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that touches an index shares. */
final class CommonOptions {

    @Option(
            names = "--index",
            paramLabel = "DIR|URL",
            description = "Index folder, or an index on OpenSearch: opensearch://HOST:PORT[,HOST:PORT...]/NAME"
                    + " (opensearch+https://... for TLS; credentials from index.opensearch.* or"
                    + " LOCALRAG_OPENSEARCH_*). Default: $LOCALRAG_INDEX, the config file's 'index', else"
                    + " ~/.local/share/localrag/index.")
    String index;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Config file (default: $LOCALRAG_CONFIG, else ~/.config/localrag/config.yaml if present).")
    Path config;

    @Option(
            names = "--embedder",
            paramLabel = "SPEC",
            description = "Embedding model: onnx:bge-small-en-v1.5 | onnx:bge-small-zh-v1.5 | onnx:all-minilm-l6-v2"
                    + " | onnx:PATH (in-process), ollama:MODEL, or openai:MODEL@URL. Only for a new index; an"
                    + " existing index always uses the embedder that built it.")
    String embedder;

    @Option(
            names = "--pull",
            description = "Pull a configured Ollama model that is missing (with progress) instead of failing"
                    + " (same as ollama.autoPull: true or LOCALRAG_AUTO_PULL=true).")
    boolean pull;

    /**
     * The index {@code --index} names: a folder, or an OpenSearch index. Another URI is never taken
     * for a folder, and an empty value never means the current directory.
     *
     * @throws ConfigurationException (exit 2) naming the flag and the supported forms
     */
    static IndexLocation indexLocation(ConfigLoader loader, String value) {
        try {
            return loader.location(value);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(
                    "--index "
                            + (value.isBlank()
                                    ? "is empty: give the index folder, e.g." + " --index ~/rag-index."
                                    : e.getMessage()),
                    e);
        }
    }

    /** Defaults, then the config file, then the environment, then these flags. */
    RagConfig resolve(CliEnvironment environment) {
        ConfigLoader loader = new ConfigLoader(environment.env(), environment.home());
        RagConfig resolved = loader.load(config);
        if (index != null) {
            resolved = resolved.withIndex(indexLocation(loader, index));
        }
        if (embedder != null) {
            resolved = resolved.withEmbedder(embedder);
        }
        if (pull) {
            resolved = resolved.withOllama(resolved.ollama().withAutoPull(true));
        }
        return resolved.index() instanceof IndexLocation.Folder folder
                ? resolved.withIndex(folder.absolute())
                : resolved;
    }
}
