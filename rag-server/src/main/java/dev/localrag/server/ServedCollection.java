package dev.localrag.server;

import dev.localrag.core.answer.ChatAvailability;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.runtime.AuditLog;
import dev.localrag.runtime.RagRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One served index: its {@link RagRuntime} (the same composition as {@code rag ingest} and {@code
 * rag ask}, on the server's shared {@link OllamaClient}) and the folder that keeps uploaded files.
 * Writes (ingest, delete) take {@link #writeLock()}.
 */
final class ServedCollection implements AutoCloseable {

    private final String name;
    private final RagRuntime runtime;
    private final Path uploads;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;

    private ServedCollection(String name, RagRuntime runtime) {
        this.name = name;
        this.runtime = runtime;
        Path dir = runtime.config().indexDir().toAbsolutePath().normalize();
        this.uploads = dir.resolveSibling(dir.getFileName() + "-uploads");
    }

    /**
     * @param client the server's client for {@code config.ollama()}, shared by its collections; the
     *     caller closes it
     */
    static ServedCollection open(
            String name, RagConfig config, OllamaClient client, Consumer<String> notices, String actor) {
        boolean created = LuceneVectorIndex.readManifest(config.indexDir()) == null;
        AuditLog audit = new AuditLog(config.auditLog(), config.audit());
        if (created) {
            audit.checkWritable(); // a collection that cannot be recorded is not created
        }
        ServedCollection collection = new ServedCollection(
                name,
                RagRuntime.builder(config).ollamaClient(client).notices(notices).build());
        if (created) {
            try {
                audit.append(new AuditLog.Entry(
                        actor,
                        "local",
                        "collection created",
                        name,
                        collection.config().indexDir().toString(),
                        List.of(collection.config().indexDir().toString()),
                        "succeeded",
                        Map.of()));
            } catch (RuntimeException e) {
                collection.close();
                throw e;
            }
        }
        return collection;
    }

    /**
     * An existing index opened for searching and answering only (no write lock, so another process
     * may ingest meanwhile); ingest and delete then fail. Nothing is written, so nothing is audited.
     */
    static ServedCollection openReadOnly(String name, RagConfig config, OllamaClient client, Consumer<String> notices) {
        return new ServedCollection(
                name,
                RagRuntime.builder(config)
                        .ollamaClient(client)
                        .notices(notices)
                        .readOnly()
                        .build());
    }

    /** The error for a collection name that is not served. */
    static ApiException notFound(String name, java.util.Collection<String> served) {
        return ApiException.notFound(
                "collection_not_found", "No collection named \"" + name + "\". Served collections: " + served + ".");
    }

    /** The audit log of this collection's index. */
    AuditLog audit() {
        return runtime.audit();
    }

    String name() {
        return name;
    }

    RagConfig config() {
        return runtime.config();
    }

    RagRuntime runtime() {
        return runtime;
    }

    VectorIndex index() {
        return runtime.index();
    }

    /** The chat model's availability, checked at most every 5 s (now when {@code fresh}). */
    ChatAvailability.Status chatStatus(boolean fresh) {
        return fresh ? runtime.chat().check() : runtime.chat().recent();
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
            runtime.close();
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
