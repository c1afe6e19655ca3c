package dev.localrag.core.config;

import dev.localrag.core.Checks;
import dev.localrag.core.index.IndexLocation;
import dev.localrag.core.index.OpenSearchSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything LocalRAG needs to know, resolved from defaults, the config file, the environment and
 * flags (each overriding the one before).
 *
 * @param index where the index lives: a folder (the local Lucene index) or an index on an OpenSearch
 *     cluster ({@code opensearch://HOST:PORT/NAME})
 * @param embedder embedder spec such as {@code onnx:bge-small-en-v1.5}; null means "the index's, or
 *     Ollama's default when reachable, else the in-process model"
 * @param ollama how to reach Ollama and which models to use
 * @param topK how many chunks a query retrieves
 * @param chunking how documents are cut into chunks
 * @param answer how answers are assembled
 * @param indexSettings how a new index is built (vector format, text analysis); what an existing
 *     index must match where asked for
 * @param ingest how files are parsed during ingest
 * @param opensearch how to reach and build an OpenSearch index ({@code index.opensearch.*})
 * @param audit where writes to the index are recorded
 */
public record RagConfig(
        IndexLocation index,
        String embedder,
        OllamaSettings ollama,
        int topK,
        ChunkingSettings chunking,
        AnswerSettings answer,
        IndexSettings indexSettings,
        IngestSettings ingest,
        OpenSearchSettings opensearch,
        AuditSettings audit) {

    public static final int DEFAULT_TOP_K = 6;

    public RagConfig {
        Checks.notNull(index, "index");
        Checks.notNull(ollama, "ollama");
        Checks.notNull(chunking, "chunking");
        Checks.notNull(answer, "answer");
        Checks.notNull(indexSettings, "indexSettings");
        Checks.notNull(ingest, "ingest");
        Checks.notNull(opensearch, "opensearch");
        Checks.notNull(audit, "audit");
        Checks.between(topK, 1, dev.localrag.core.index.SearchRequest.MAX_K, "topK");
        if (embedder != null && embedder.isBlank()) {
            embedder = null;
        }
    }

    /**
     * A configuration of a local index in {@code indexDir} with default index, ingest, OpenSearch
     * and audit settings; the {@code with...} methods change the rest.
     */
    public RagConfig(
            Path indexDir,
            String embedder,
            OllamaSettings ollama,
            int topK,
            ChunkingSettings chunking,
            AnswerSettings answer) {
        this(
                IndexLocation.folder(Checks.notNull(indexDir, "indexDir")),
                embedder,
                ollama,
                topK,
                chunking,
                answer,
                IndexSettings.DEFAULT,
                IngestSettings.DEFAULT,
                OpenSearchSettings.DEFAULT,
                AuditSettings.DEFAULT);
    }

    public Optional<String> embedderSpec() {
        return Optional.ofNullable(embedder);
    }

    /**
     * The folder of a local index.
     *
     * @throws IllegalStateException when the index is on OpenSearch
     */
    public Path indexDir() {
        if (index instanceof IndexLocation.Folder folder) {
            return folder.dir();
        }
        throw new IllegalStateException("index " + index + " is not a folder");
    }

    /**
     * The audit log of this config's index: {@code audit.log} when set, else beside a local index's
     * folder ({@code INDEX-audit.jsonl}), else {@code ~/.local/state/localrag/NAME-audit.jsonl} for an
     * index on OpenSearch.
     */
    public Path auditLog() {
        if (index instanceof IndexLocation.Folder folder) {
            return audit.file(folder.dir());
        }
        Path state = Path.of(System.getProperty("user.home"), ".local", "state", "localrag");
        return audit.file(state.resolve(((dev.localrag.core.index.OpenSearchLocation) index).index()));
    }

    /**
     * Where an ingest keeps the vectors it embedded until their files are in the index, so that a
     * stopped run resumes: beside a local index's folder ({@code INDEX-ingest.vectors}), else {@code
     * ~/.local/state/localrag/NAME-ingest.vectors} for an index on OpenSearch.
     */
    public Path embeddingJournal() {
        if (index instanceof IndexLocation.Folder folder) {
            Path dir = folder.dir().toAbsolutePath().normalize();
            return dir.resolveSibling(dir.getFileName() + "-ingest.vectors");
        }
        Path state = Path.of(System.getProperty("user.home"), ".local", "state", "localrag");
        return state.resolve(((dev.localrag.core.index.OpenSearchLocation) index).index() + "-ingest.vectors");
    }

    public RagConfig withIndexDir(Path dir) {
        return withIndex(IndexLocation.folder(dir));
    }

    public RagConfig withIndex(IndexLocation location) {
        return new RagConfig(
                location, embedder, ollama, topK, chunking, answer, indexSettings, ingest, opensearch, audit);
    }

    public RagConfig withEmbedder(String spec) {
        return new RagConfig(index, spec, ollama, topK, chunking, answer, indexSettings, ingest, opensearch, audit);
    }

    public RagConfig withOllama(OllamaSettings settings) {
        return new RagConfig(
                index, embedder, settings, topK, chunking, answer, indexSettings, ingest, opensearch, audit);
    }

    public RagConfig withTopK(int k) {
        return new RagConfig(index, embedder, ollama, k, chunking, answer, indexSettings, ingest, opensearch, audit);
    }

    public RagConfig withChunking(ChunkingSettings settings) {
        return new RagConfig(index, embedder, ollama, topK, settings, answer, indexSettings, ingest, opensearch, audit);
    }

    public RagConfig withIndexSettings(IndexSettings settings) {
        return new RagConfig(index, embedder, ollama, topK, chunking, answer, settings, ingest, opensearch, audit);
    }

    public RagConfig withIngest(IngestSettings settings) {
        return new RagConfig(
                index, embedder, ollama, topK, chunking, answer, indexSettings, settings, opensearch, audit);
    }

    public RagConfig withOpenSearch(OpenSearchSettings settings) {
        return new RagConfig(index, embedder, ollama, topK, chunking, answer, indexSettings, ingest, settings, audit);
    }

    public RagConfig withAudit(AuditSettings settings) {
        return new RagConfig(
                index, embedder, ollama, topK, chunking, answer, indexSettings, ingest, opensearch, settings);
    }
}
