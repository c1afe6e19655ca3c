package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.RagConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that touches an index shares. */
final class CommonOptions {

    @Option(
            names = "--index",
            paramLabel = "DIR",
            description = "Index folder (default: $LOCALRAG_INDEX, the config file's 'index', else"
                    + " ~/.local/share/localrag/index).")
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
     * The folder {@code --index} names. A URI-like value ({@code scheme://...}) is never taken for a
     * folder, and an empty one never means the current directory.
     *
     * @throws ConfigurationException (exit 2) naming the flag and the supported forms
     */
    static Path indexFolder(String value) {
        if (value.isBlank()) {
            throw new ConfigurationException("--index is empty: give the index folder, e.g. --index ~/rag-index.");
        }
        if (value.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new ConfigurationException("--index " + value + " is a URI, which is not supported: give a folder"
                    + " (a path such as ./index or /data/rag-index).");
        }
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigurationException("--index " + value + " is not a usable path: " + e.getReason() + ".");
        }
    }

    /** Defaults, then the config file, then the environment, then these flags. */
    RagConfig resolve(CliEnvironment environment) {
        RagConfig resolved = new ConfigLoader(environment.env(), environment.home()).load(config);
        if (index != null) {
            resolved = resolved.withIndexDir(indexFolder(index));
        }
        if (embedder != null) {
            resolved = resolved.withEmbedder(embedder);
        }
        if (pull) {
            resolved = resolved.withOllama(resolved.ollama().withAutoPull(true));
        }
        return resolved.withIndexDir(resolved.indexDir().toAbsolutePath().normalize());
    }
}
