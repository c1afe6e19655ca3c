package dev.localrag.server;

import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestOptions;
import dev.localrag.ingest.IngestReport;
import dev.localrag.runtime.RagRuntime;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A three-file corpus indexed through an Ollama-speaking test server (hashing embeddings). */
final class TestCorpus {

    static final String CHAT_MODEL = "test-chat:1b";
    static final String EMBED_MODEL = "test-embed:1b";
    static final int DIM = 64;

    private TestCorpus() {}

    static RagConfig config(Path indexDir, URI ollama) {
        return new RagConfig(
                indexDir,
                "ollama:" + EMBED_MODEL,
                new OllamaSettings(ollama, CHAT_MODEL, EMBED_MODEL, Duration.ofSeconds(30), Duration.ofMillis(1500)),
                3,
                new ChunkingSettings(64, 8),
                dev.localrag.core.config.AnswerSettings.DEFAULT);
    }

    static Path writeDocs(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("port.md"),
                "# Ollama port\n\nOllama listens on port 11434. Set OLLAMA_HOST to change the port the server binds"
                        + " to.\n");
        Files.writeString(
                dir.resolve("gpu.md"),
                "# GPUs\n\nNVIDIA CUDA GPUs and AMD ROCm GPUs are supported for acceleration.\n");
        Files.writeString(
                dir.resolve("models.md"),
                "# Models\n\nPull a model with ollama pull llama3. Models are stored in the models folder.\n");
        return dir;
    }

    /** A folder to allow ingest from, {@code dir/allowed} with {@code team/vacation.md}. */
    static Path writeAllowed(Path dir) throws IOException {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Files.writeString(
                Files.createDirectories(allowed.resolve("team")).resolve("vacation.md"),
                "# Vacation\n\nThe team vacation policy grants thirty days of leave each year.\n");
        return allowed;
    }

    /** A folder beside the allowed one, {@code dir/outside} with {@code secret.md}: ingest must refuse it. */
    static Path writeOutside(Path dir) throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.md"), "# Secret\n\nThe launch code is swordfish.\n");
        return outside;
    }

    /** Indexes {@code docs} into the index {@code config} names. */
    static IngestReport ingest(RagConfig config, Path docs) {
        try (RagRuntime rag = RagRuntime.builder(config).build()) {
            return rag.ingest(List.of(docs), IngestOptions.DEFAULT, IngestListener.NONE);
        }
    }
}
