package dev.localrag.ingest;

import dev.localrag.core.Checks;
import dev.localrag.core.answer.Answer;
import dev.localrag.core.answer.AnswerHandler;
import dev.localrag.core.answer.AnswerRequest;
import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.IndexLocation;
import dev.localrag.core.index.OpenSearchSettings;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.TextAnalysis;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.ollama.OllamaHost;
import dev.localrag.runtime.RagRuntime;
import dev.localrag.runtime.WatchedIngest;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * LocalRAG for Java apps: one object that owns an index, ingests folders into it and answers
 * questions from it.
 *
 * <pre>{@code
 * try (LocalRag rag = LocalRag.builder().index(Path.of("my-index")).build()) {
 *     rag.ingest(Path.of("docs"));
 *     rag.ask("How do I change the port?", new AnswerHandler() {
 *         public void onToken(String token) { System.out.print(token); }
 *     });
 * }
 * }</pre>
 *
 * <p>Opens the index for writing (creating it when absent) on {@link Builder#build()} and holds it
 * until {@link #close()}. Thread-safe for concurrent asks; ingests are serialised.
 */
public final class LocalRag implements AutoCloseable {

    private final RagRuntime runtime;
    private final List<Running> watches = new java.util.ArrayList<>();

    /** A watch started by {@link #watch} and the thread it runs on. */
    private record Running(WatchedIngest watch, Thread thread) {}

    private LocalRag(RagConfig config, Consumer<String> notices) {
        this.runtime = RagRuntime.builder(config).notices(notices).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Indexes files and folders, as {@code rag ingest} does (same chunks, guarded parsing per the
     * config's {@code ingest} settings); files whose content is already indexed are skipped.
     */
    public synchronized IngestReport ingest(Path... paths) {
        Checks.notEmpty(List.of(paths), "paths");
        return runtime.ingest(List.of(paths), IngestOptions.DEFAULT, IngestListener.NONE);
    }

    /**
     * Keeps the index in step with {@code folders} in the background (see {@link WatchedIngest}):
     * a first sync, then each change as it happens, serialised with {@link #ingest}. Runs until the
     * returned watch or this {@code LocalRag} is closed; {@code listener} hears each sync.
     */
    public WatchedIngest watch(WatchedIngest.Listener listener, Path... folders) {
        Checks.notEmpty(List.of(folders), "folders");
        WatchedIngest watch = WatchedIngest.builder(runtime, List.of(folders))
                .listener(listener)
                .sync((paths, progress, stop) -> {
                    synchronized (this) {
                        return runtime.ingest(paths, IngestOptions.DEFAULT, progress, stop);
                    }
                })
                .build();
        Thread thread = Thread.ofPlatform().daemon().name("localrag-watch").start(() -> {
            try {
                watch.run();
            } catch (RuntimeException e) {
                listener.failed(new FolderWatcher.Batch(watch.folders(), 0, WatchedIngest.FIRST_SYNC), e);
            }
        });
        synchronized (watches) {
            watches.add(new Running(watch, thread));
        }
        return watch;
    }

    /** Answers a question, streaming to {@code handler}; returns the finished answer. */
    public Answer ask(String question, AnswerHandler handler) {
        return ask(AnswerRequest.of(question).withK(runtime.config().topK()), handler);
    }

    /** Answers with full control over retrieval, history, thinking and cancellation. */
    public Answer ask(AnswerRequest request, AnswerHandler handler) {
        return runtime.answers(runtime.chat().recent()).ask(request, handler);
    }

    /** Answers a question without streaming. */
    public Answer ask(String question) {
        return ask(question, new AnswerHandler() {});
    }

    /** Retrieval only: the {@code k} best chunks, hybrid. */
    public List<SearchHit> search(String query, int k) {
        return runtime.retriever().retrieve(query, SearchMode.HYBRID, k);
    }

    /** Whether answers come from a chat model (else they are the retrieved passages). */
    public boolean generatesAnswers() {
        return runtime.chat().recent().available();
    }

    public RagConfig config() {
        return runtime.config();
    }

    @Override
    public void close() {
        List<Running> running;
        synchronized (watches) {
            running = List.copyOf(watches);
        }
        for (Running r : running) {
            r.watch().close(); // a running sync stops between files and commits
        }
        for (Running r : running) {
            try {
                r.thread().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        runtime.close();
    }

    /** Starts from the user's configuration (config file and environment), then your settings. */
    public static final class Builder {
        private IndexLocation index;
        private OpenSearchSettings openSearch;
        private String embedder;
        private String ollamaHost;
        private String chatModel;
        private Integer topK;
        private VectorFormat vectorFormat;
        private TextAnalysis textAnalysis;
        private Consumer<String> notices = message -> {};

        private Builder() {}

        /** Index folder; default: the configured one (~/.local/share/localrag/index). */
        public Builder index(Path dir) {
            this.index = IndexLocation.folder(
                    Checks.notNull(dir, "index").toAbsolutePath().normalize());
            return this;
        }

        /**
         * Where the index lives: a folder, or an index on OpenSearch ({@code
         * opensearch://HOST:PORT[,HOST:PORT...]/NAME}, see {@link IndexLocation#parse}); credentials
         * and shards come from the config file's {@code index.opensearch} or {@link #openSearch}.
         */
        public Builder index(String location) {
            IndexLocation parsed = IndexLocation.parse(Checks.notBlank(location, "index"));
            this.index = parsed instanceof IndexLocation.Folder f ? f.absolute() : parsed;
            return this;
        }

        /** How to reach and build an OpenSearch index; default: the config file's {@code index.opensearch}. */
        public Builder openSearch(OpenSearchSettings settings) {
            this.openSearch = Checks.notNull(settings, "openSearch");
            return this;
        }

        /** Embedder for a new index, e.g. {@code onnx:bge-small-en-v1.5}; default: chosen for you. */
        public Builder embedder(String spec) {
            this.embedder = Checks.notBlank(spec, "embedder");
            return this;
        }

        /** Ollama address in any form OLLAMA_HOST accepts. */
        public Builder ollamaHost(String host) {
            this.ollamaHost = Checks.notBlank(host, "ollamaHost");
            return this;
        }

        public Builder chatModel(String model) {
            this.chatModel = Checks.notBlank(model, "chatModel");
            return this;
        }

        public Builder topK(int k) {
            this.topK = Checks.between(k, 1, dev.localrag.core.index.SearchRequest.MAX_K, "topK");
            return this;
        }

        /**
         * How a new index stores and searches its vectors, e.g. {@code VectorFormat.parse("int8")};
         * default: the config file's {@code index} settings, else float32 HNSW. An existing index
         * keeps its own: asking it for another makes {@link #build()} throw {@link
         * dev.localrag.core.index.IndexMismatchException}.
         */
        public Builder vectorFormat(VectorFormat format) {
            this.vectorFormat = Checks.notNull(format, "vectorFormat");
            return this;
        }

        /**
         * BM25 text analysis of a new index; default: the config file's, else {@link
         * TextAnalysis#AUTO}. An existing index keeps its own, as for {@link #vectorFormat}.
         */
        public Builder textAnalysis(TextAnalysis analysis) {
            this.textAnalysis = Checks.notNull(analysis, "textAnalysis");
            return this;
        }

        /** Receives one-line notices (e.g. which embedder was chosen); default: ignored. */
        public Builder notices(Consumer<String> sink) {
            this.notices = Checks.notNull(sink, "notices");
            return this;
        }

        public LocalRag build() {
            RagConfig config = ConfigLoader.system().load(null);
            if (index != null) {
                config = config.withIndex(index);
            }
            if (openSearch != null) {
                config = config.withOpenSearch(openSearch);
            }
            if (embedder != null) {
                config = config.withEmbedder(embedder);
            }
            if (ollamaHost != null) {
                config = config.withOllama(config.ollama().withBaseUrl(OllamaHost.parse(ollamaHost)));
            }
            if (chatModel != null) {
                config = config.withOllama(config.ollama().withChatModel(chatModel));
            }
            if (topK != null) {
                config = config.withTopK(topK);
            }
            if (vectorFormat != null) {
                config = config.withIndexSettings(config.indexSettings().withVectorFormat(vectorFormat));
            }
            if (textAnalysis != null) {
                config = config.withIndexSettings(config.indexSettings().withTextAnalysis(textAnalysis));
            }
            return new LocalRag(config, notices);
        }
    }
}
