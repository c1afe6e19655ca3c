package dev.localrag.server;

import dev.localrag.core.Answering;
import dev.localrag.core.OpenedIndex;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.Generator;
import dev.localrag.core.answer.Generators;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.ollama.OllamaStatus;
import dev.localrag.core.retrieval.Retriever;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One served index: its configuration, the open index with its embedder, the retriever, the chat
 * model (rag-core's generator on the server's shared {@link OllamaClient}), and the folder that
 * keeps uploaded files. Writes (ingest, delete) take {@link #writeLock()}.
 */
final class ServedCollection implements AutoCloseable {

    private static final long STATUS_TTL_NANOS = 5_000_000_000L;

    private final String name;
    private final RagConfig config;
    private final OpenedIndex opened;
    private final Retriever retriever;
    private final Generator generator;
    private final Path uploads;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile OllamaStatus status;
    private volatile long statusAt;
    private volatile boolean closed;

    private ServedCollection(String name, RagConfig config, OpenedIndex opened, OllamaClient client) {
        this.name = name;
        this.config = config;
        this.opened = opened;
        this.retriever = new Retriever(opened.index(), opened.embedder());
        this.generator = Answering.generator(config, client);
        Path dir = config.indexDir().toAbsolutePath().normalize();
        this.uploads = dir.resolveSibling(dir.getFileName() + "-uploads");
    }

    /**
     * @param client the server's client for {@code config.ollama()}, shared by its collections; the
     *     caller closes it
     */
    static ServedCollection open(
            String name, RagConfig config, OllamaClient client, java.util.function.Consumer<String> notices) {
        // the embedder shares the client: ingest embedding waits behind queries and answers
        OpenedIndex opened = OpenedIndex.forWriting(config, OpenedIndex.chunker(config), notices, client);
        try {
            return new ServedCollection(name, config, opened, client);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    RagConfig config() {
        return config;
    }

    OpenedIndex opened() {
        return opened;
    }

    Retriever retriever() {
        return retriever;
    }

    /**
     * The answer pipeline for one request: with the chat model, or extractive when {@code notice}
     * (from {@link #chatUnavailableNotice()}) says why not.
     */
    AnswerService answers(String notice) {
        return Answering.create(config, retriever, notice.isEmpty() ? generator : null, notice);
    }

    Path uploads() {
        return uploads;
    }

    ReentrantLock writeLock() {
        return writeLock;
    }

    boolean isOpen() {
        return !closed;
    }

    /** Ollama's status, probed at most every 5 s (fresh when {@code fresh}). */
    OllamaStatus chatStatus(boolean fresh) {
        OllamaStatus s = status;
        if (fresh || s == null || System.nanoTime() - statusAt > STATUS_TTL_NANOS) {
            s = new OllamaProbe(config.ollama()).check();
            status = s;
            statusAt = System.nanoTime();
        }
        return s;
    }

    /** Why answers are extractive, or empty when the chat model is there. */
    String chatUnavailableNotice() {
        String spec = config.ollama().chatModel();
        if (Generators.provider(spec) != Generators.Provider.OLLAMA) {
            return ""; // an OpenAI-compatible server: its failures fall back per answer
        }
        OllamaStatus s = chatStatus(false);
        String model = Generators.ollamaModel(spec);
        if (!s.reachable()) {
            return "Generated answers need Ollama, which is not running at " + s.baseUrl()
                    + ": start it with `ollama serve` and `ollama pull " + model
                    + "`. Showing the retrieved passages instead.";
        }
        if (!s.hasModel(model)) {
            return "Generated answers need the chat model " + model + ", which Ollama at " + s.baseUrl()
                    + " does not have: run `ollama pull " + model + "`. Showing the retrieved passages instead.";
        }
        return "";
    }

    /**
     * Closes the index (committing it), after waiting up to {@code grace} for a write in progress;
     * a write still running then fails on the closed index rather than being interrupted mid-I/O.
     */
    void close(java.time.Duration grace) {
        closed = true;
        boolean locked = false;
        try {
            locked = writeLock.tryLock(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            try {
                if (generator instanceof AutoCloseable closeable) {
                    closeable.close(); // an OllamaGenerator on the shared client leaves the client open
                }
            } catch (Exception e) {
                throw new IllegalStateException("closing the chat model of " + name + " failed: " + e.getMessage(), e);
            } finally {
                opened.close();
            }
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }

    @Override
    public void close() {
        close(java.time.Duration.ZERO);
    }
}
