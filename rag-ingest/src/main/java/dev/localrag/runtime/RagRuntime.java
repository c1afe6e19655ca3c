package dev.localrag.runtime;

import dev.localrag.core.Checks;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.ChatAvailability;
import dev.localrag.core.answer.Generator;
import dev.localrag.core.answer.Generators;
import dev.localrag.core.answer.OllamaGenerator;
import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.chunk.StructuredChunker;
import dev.localrag.core.config.AnswerSettings;
import dev.localrag.core.config.ChatModelSpec;
import dev.localrag.core.config.IndexSettings;
import dev.localrag.core.config.IngestSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.Embedders;
import dev.localrag.core.index.IndexLocation;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexNotFoundException;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.TextAnalysis;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.core.index.VectorIndexes;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.rerank.Reranker;
import dev.localrag.core.rerank.Rerankers;
import dev.localrag.core.retrieval.Retriever;
import dev.localrag.ingest.DocumentParser;
import dev.localrag.ingest.ForkedParser;
import dev.localrag.ingest.GuardedParser;
import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestOptions;
import dev.localrag.ingest.IngestReport;
import dev.localrag.ingest.Ingestor;
import dev.localrag.ingest.Tesseract;
import dev.localrag.ingest.TikaDocumentParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The composition root: everything one index needs, built from a {@link RagConfig} in one place,
 * so that {@code rag ingest|search|ask|chat|doctor}, every server collection and {@code LocalRag}
 * chunk, parse, embed, retrieve and answer alike. Entry points are thin adapters over it.
 *
 * <ul>
 *   <li>the index ({@link #index()}), opened for writing (created when absent) or read-only; an
 *       existing index keeps what it was built with, and asking it for another embedder, chunking,
 *       vector format or text analysis is an {@link dev.localrag.core.index.IndexMismatchException}
 *       before anything is loaded or changed;
 *   <li>the embedder recorded in the index (loaded on first use);
 *   <li>the chunker ({@link StructuredChunker} with the config's sizes);
 *   <li>the guarded parser of {@link #ingest}: separate parser processes by default ({@code
 *       ingest.isolate}), else in-process with a timeout;
 *   <li>the answer service ({@link #answers()}) with the one chat-model availability check ({@link
 *       #chat()}).
 * </ul>
 *
 * <pre>{@code
 * try (RagRuntime rag = RagRuntime.builder(config).build()) {
 *     rag.ingest(List.of(Path.of("docs")), IngestOptions.DEFAULT, IngestListener.NONE);
 *     Answer a = rag.answers().ask(AnswerRequest.of("How do I change the port?"), new AnswerHandler() {});
 * }
 * }</pre>
 */
public final class RagRuntime implements AutoCloseable {

    private final RagConfig config;
    private final Chunker chunker;
    private final VectorIndex index;
    private final Embedder embedder;
    private final OllamaClient client;
    private final boolean ownsClient;
    private final boolean writable;
    private final AuditLog audit;
    private final Retriever retriever;
    private final ChatAvailability chat;
    private Generator generator;

    private RagRuntime(Builder b) {
        this.config = b.config;
        this.chunker = new StructuredChunker(config.chunking());
        this.writable = b.writable;
        this.audit = new AuditLog(config.auditLog(), config.audit());
        this.ownsClient = b.client == null;
        this.client = b.client != null ? b.client : new OllamaClient(config.ollama());
        try {
            IndexManifest existing = VectorIndexes.readManifest(config.index(), config.opensearch());
            String location = config.index().toString();
            if (existing != null && writable) {
                config.indexSettings().checkExisting(location, existing);
                existing.checkChunking(location, chunker.describe());
            }
            if (writable && existing == null && config.index() instanceof IndexLocation.Folder folder) {
                LuceneVectorIndex.checkNewIndexLocation(folder.dir()); // before any model loads
            }
            if (!writable && existing == null) {
                throw new IndexNotFoundException(location);
            }
            EmbedderChoice choice =
                    EmbedderChoice.resolve(config, existing, () -> new OllamaProbe(config.ollama()).check());
            if (!choice.notice().isEmpty()) {
                b.notices.accept(choice.notice());
            }
            this.embedder = embedder(choice.spec());
            if (b.preloadEmbedder && choice.spec().provider() == EmbedderSpec.Provider.ONNX) {
                Embedders.startLoading(embedder); // the model loads while the index opens
            }
            try {
                this.index = writable
                        ? openForWriting(existing)
                        : VectorIndexes.openReadOnly(config.index(), config.opensearch());
            } catch (RuntimeException e) {
                embedder.close();
                throw e;
            }
        } catch (RuntimeException e) {
            if (ownsClient) {
                client.close();
            }
            throw e;
        }
        this.retriever = new Retriever(index, embedder);
        this.chat = new ChatAvailability(config.ollama());
    }

    /** A runtime for {@code config}: writable, its own Ollama client, notices dropped. */
    public static Builder builder(RagConfig config) {
        return new Builder(config);
    }

    private Embedder embedder(EmbedderSpec spec) {
        // loaded on first use: an ingest that finds nothing to embed never loads the model
        // an Ollama embedder shares the client: its bulk batches queue behind answers on one limiter
        return Embedders.lazyShared(spec, client);
    }

    private VectorIndex openForWriting(IndexManifest existing) {
        IndexSettings settings = config.indexSettings();
        VectorFormat format = existing != null ? existing.vectorFormat() : settings.newVectorFormat();
        TextAnalysis analysis = existing != null ? existing.textAnalysis() : settings.newTextAnalysis();
        int dimension = existing != null ? existing.dimension() : embedder.dimension();
        IndexManifest wanted = IndexManifest.of(embedder.spec(), dimension, chunker.describe())
                .withTextAnalysis(analysis)
                .withVectorFormat(format);
        return VectorIndexes.open(config.index(), config.opensearch(), wanted);
    }

    public RagConfig config() {
        return config;
    }

    /** The audit log of this runtime's index (config {@code audit.log}, else beside the index). */
    public AuditLog audit() {
        return audit;
    }

    public VectorIndex index() {
        return index;
    }

    public Embedder embedder() {
        return embedder;
    }

    public Chunker chunker() {
        return chunker;
    }

    public Retriever retriever() {
        return retriever;
    }

    /** Whether the configured chat model can answer; per request, use {@link ChatAvailability#recent()}. */
    public ChatAvailability chat() {
        return chat;
    }

    /** The Ollama client this runtime's Ollama embedder and chat model share. */
    public OllamaClient ollamaClient() {
        return client;
    }

    /** The answer pipeline, with the chat model when it is available now (checked), else extractive. */
    public AnswerService answers() {
        return answers(chat.check());
    }

    /**
     * The answer pipeline for a chat-model status (from {@link #chat()}): generated answers when it
     * is available, else extractive with its notice.
     */
    public AnswerService answers(ChatAvailability.Status status) {
        return answers(status, retriever);
    }

    /**
     * Like {@link #answers(ChatAvailability.Status)}, retrieving with {@code retriever}: {@link
     * #retriever()} with a reranker ({@link Retriever#reranking}), say.
     */
    public AnswerService answers(ChatAvailability.Status status, Retriever retriever) {
        Checks.notNull(status, "status");
        Checks.notNull(retriever, "retriever");
        Generator g = status.available() ? generator() : null;
        AnswerSettings settings = config.answer();
        if (g instanceof OllamaGenerator ollama && ollama.contextTokens() != settings.contextTokens()) {
            // the config's per-model num_ctx is what the model runs with: budget for that
            settings = new AnswerSettings(
                    ollama.contextTokens(),
                    Math.min(settings.answerReserveTokens(), ollama.contextTokens() / 2),
                    settings.minRelevance(),
                    settings.condenseFollowUps());
        }
        return new AnswerService(retriever, g, status.notice(), settings);
    }

    /**
     * The reranker {@code spec} names ({@link Rerankers#parse}): {@code MODEL@URL}, {@code onnx:PATH},
     * or {@code chat} for this runtime's chat model as a listwise reranker. The caller closes it.
     */
    public Reranker reranker(String spec, java.time.Duration timeout) {
        return Rerankers.parse(spec, timeout, this::generator);
    }

    private synchronized Generator generator() {
        if (generator == null) {
            generator =
                    Generators.create(config.ollama(), client, config.answer().contextTokens());
        }
        return generator;
    }

    /** The configured chat model. */
    public ChatModelSpec chatModel() {
        return config.ollama().chatModel();
    }

    /**
     * Brings the index in step with {@code paths} (see {@link Ingestor}), parsing as {@code
     * config.ingest()} says: in separate parser processes (started for this run, stopped after it)
     * or in-process, guarded by the parse timeout. A positive {@code ingest.threads} sets the parser
     * threads.
     *
     * @throws IllegalStateException when the runtime was opened read-only
     */
    public IngestReport ingest(List<Path> paths, IngestOptions options, IngestListener listener) {
        return ingest(paths, options, listener, () -> false);
    }

    /**
     * As {@link #ingest(List, IngestOptions, IngestListener)}, stopping early once {@code
     * stopRequested} says so (see {@link Ingestor#ingest(List, IngestListener, BooleanSupplier)}):
     * what was written is committed, the index stays consistent.
     */
    public IngestReport ingest(
            List<Path> paths, IngestOptions options, IngestListener listener, BooleanSupplier stopRequested) {
        if (!writable) {
            throw new IllegalStateException("index " + index.location() + " was opened read-only");
        }
        IngestSettings settings = config.ingest();
        IngestOptions.Builder b = options.toBuilder();
        if (settings.parseThreads() > 0) {
            b.parseThreads(settings.parseThreads());
        }
        if (options.embeddingJournal() == null) {
            b.embeddingJournal(config.embeddingJournal());
        }
        IngestOptions run = b.build();
        Tesseract.OcrOptions ocr = Tesseract.resolve(settings);
        if (!settings.isolate()) {
            return ingest(
                    new GuardedParser(new TikaDocumentParser(ocr), settings.parseTimeout()),
                    paths,
                    run,
                    listener,
                    stopRequested);
        }
        try (ForkedParser parser =
                new ForkedParser(run.parseThreads(), settings.parserHeapMegabytes(), settings.parseTimeout(), ocr)) {
            return ingest(parser, paths, run, listener, stopRequested);
        }
    }

    private IngestReport ingest(
            DocumentParser parser, List<Path> paths, IngestOptions options, IngestListener l, BooleanSupplier stop) {
        return new Ingestor(index, embedder, chunker, parser, options).ingest(paths, l, stop);
    }

    /**
     * An ingest recorded in the audit log: refused before anything changes when the log cannot be
     * written, then one entry with the outcome (succeeded, partial when files were skipped or the
     * run stopped early, failed when it threw) and the counts.
     *
     * @param actor who asked, e.g. {@link AuditLog#osUser()}
     * @param client where from, e.g. {@code local}
     * @param action what ran, e.g. {@code rag ingest}
     */
    public IngestReport ingestAudited(
            String actor,
            String client,
            String action,
            List<Path> paths,
            IngestOptions options,
            IngestListener listener,
            BooleanSupplier stopRequested) {
        audit.checkWritable();
        List<String> affected =
                paths.stream().map(p -> p.toAbsolutePath().toString()).toList();
        String location = config.index().toString();
        IngestReport report;
        try {
            report = ingest(paths, options, listener, stopRequested);
        } catch (RuntimeException e) {
            audit.append(new AuditLog.Entry(actor, client, action, null, location, affected, "failed", Map.of()));
            throw e;
        }
        audit.append(new AuditLog.Entry(
                actor,
                client,
                action,
                null,
                location,
                affected,
                report.hasFailures() || report.stoppedEarly() ? "partial" : "succeeded",
                AuditLog.counts(report)));
        return report;
    }

    @Override
    public synchronized void close() {
        try {
            try {
                index.close();
            } finally {
                try {
                    embedder.close();
                } finally {
                    if (generator instanceof AutoCloseable closeable) {
                        closeable.close(); // an OllamaGenerator on the shared client leaves it open
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing " + index.location() + " failed: " + e.getMessage(), e);
        } finally {
            if (ownsClient) {
                client.close();
            }
        }
    }

    /** Builds a {@link RagRuntime}. */
    public static final class Builder {
        private final RagConfig config;
        private boolean writable = true;
        private boolean preloadEmbedder;
        private OllamaClient client;
        private Consumer<String> notices = message -> {};

        private Builder(RagConfig config) {
            this.config = Checks.notNull(config, "config");
        }

        /**
         * Opens an existing index for searching and answering only: takes no write lock, so it
         * works while another process ingests (it sees that process's last commit).
         */
        public Builder readOnly() {
            this.writable = false;
            return this;
        }

        /**
         * Starts loading an in-process (ONNX) embedding model on a background thread while the index
         * opens, for a caller that embeds right away (a vector or hybrid search, an answer). Without
         * it the model loads on first use.
         */
        public Builder preloadEmbedder() {
            this.preloadEmbedder = true;
            return this;
        }

        /**
         * Shares {@code client} (and its request limiter) for the Ollama embedder and chat model,
         * e.g. one client per Ollama server across a server's collections; the caller closes it
         * after the runtime. Default: a client of the runtime's own.
         */
        public Builder ollamaClient(OllamaClient client) {
            this.client = Checks.notNull(client, "client");
            return this;
        }

        /** Receives one-line notices, e.g. which embedder a new index was given. */
        public Builder notices(Consumer<String> sink) {
            this.notices = Checks.notNull(sink, "notices");
            return this;
        }

        public RagRuntime build() {
            return new RagRuntime(this);
        }
    }
}
