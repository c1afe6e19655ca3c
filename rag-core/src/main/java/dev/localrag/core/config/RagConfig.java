package dev.localrag.core.config;

import dev.localrag.core.Checks;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything LocalRAG needs to know, resolved from defaults, the config file, the environment and
 * flags (each overriding the one before).
 *
 * @param indexDir where the Lucene index lives
 * @param embedder embedder spec such as {@code onnx:bge-small-en-v1.5}; null means "the index's, or
 *     Ollama's default when reachable, else the in-process model"
 * @param ollama how to reach Ollama and which models to use
 * @param topK how many chunks a query retrieves
 * @param chunking how documents are cut into chunks
 * @param answer how answers are assembled
 * @param indexSettings how a new index is built (vector format, text analysis); what an existing
 *     index must match where asked for
 * @param ingest how files are parsed during ingest
 * @param audit where writes to the index are recorded
 */
public record RagConfig(
        Path indexDir,
        String embedder,
        OllamaSettings ollama,
        int topK,
        ChunkingSettings chunking,
        AnswerSettings answer,
        IndexSettings indexSettings,
        IngestSettings ingest,
        AuditSettings audit) {

    public static final int DEFAULT_TOP_K = 6;

    /** A config with the default audit settings. */
    public RagConfig(
            Path indexDir,
            String embedder,
            OllamaSettings ollama,
            int topK,
            ChunkingSettings chunking,
            AnswerSettings answer,
            IndexSettings indexSettings,
            IngestSettings ingest) {
        this(indexDir, embedder, ollama, topK, chunking, answer, indexSettings, ingest, AuditSettings.DEFAULT);
    }

    public RagConfig {
        Checks.notNull(indexDir, "indexDir");
        Checks.notNull(ollama, "ollama");
        Checks.notNull(chunking, "chunking");
        Checks.notNull(answer, "answer");
        Checks.notNull(indexSettings, "indexSettings");
        Checks.notNull(ingest, "ingest");
        Checks.notNull(audit, "audit");
        Checks.between(topK, 1, dev.localrag.core.index.SearchRequest.MAX_K, "topK");
        if (embedder != null && embedder.isBlank()) {
            embedder = null;
        }
    }

    /** A configuration with default {@link IndexSettings}. */
    public RagConfig(
            Path indexDir,
            String embedder,
            OllamaSettings ollama,
            int topK,
            ChunkingSettings chunking,
            AnswerSettings answer) {
        this(indexDir, embedder, ollama, topK, chunking, answer, IndexSettings.DEFAULT);
    }

    /** A configuration with default {@link IngestSettings}. */
    public RagConfig(
            Path indexDir,
            String embedder,
            OllamaSettings ollama,
            int topK,
            ChunkingSettings chunking,
            AnswerSettings answer,
            IndexSettings indexSettings) {
        this(indexDir, embedder, ollama, topK, chunking, answer, indexSettings, IngestSettings.DEFAULT);
    }

    public Optional<String> embedderSpec() {
        return Optional.ofNullable(embedder);
    }

    public RagConfig withIndexDir(Path dir) {
        return new RagConfig(dir, embedder, ollama, topK, chunking, answer, indexSettings, ingest, audit);
    }

    public RagConfig withEmbedder(String spec) {
        return new RagConfig(indexDir, spec, ollama, topK, chunking, answer, indexSettings, ingest, audit);
    }

    public RagConfig withOllama(OllamaSettings settings) {
        return new RagConfig(indexDir, embedder, settings, topK, chunking, answer, indexSettings, ingest, audit);
    }

    public RagConfig withTopK(int k) {
        return new RagConfig(indexDir, embedder, ollama, k, chunking, answer, indexSettings, ingest, audit);
    }

    public RagConfig withChunking(ChunkingSettings settings) {
        return new RagConfig(indexDir, embedder, ollama, topK, settings, answer, indexSettings, ingest, audit);
    }

    public RagConfig withIndexSettings(IndexSettings settings) {
        return new RagConfig(indexDir, embedder, ollama, topK, chunking, answer, settings, ingest, audit);
    }

    public RagConfig withAudit(AuditSettings settings) {
        return new RagConfig(indexDir, embedder, ollama, topK, chunking, answer, indexSettings, ingest, settings);
    }

    /** The audit log of this config's index. */
    public Path auditLog() {
        return audit.file(indexDir);
    }

    public RagConfig withIngest(IngestSettings settings) {
        return new RagConfig(indexDir, embedder, ollama, topK, chunking, answer, indexSettings, settings, audit);
    }
}
