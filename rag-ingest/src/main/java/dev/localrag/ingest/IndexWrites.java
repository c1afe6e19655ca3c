package dev.localrag.ingest;

import dev.localrag.core.LocalRagException;
import dev.localrag.core.chunk.Breadcrumb;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.VectorIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The index side of an ingest, on one thread of its own: a file with its embedded documents is
 * replaced in one step, a renamed file is moved with its chunks and vectors, an unchanged file's
 * time is refreshed, gone files are deleted. Commits happen only between files (every N files or T
 * seconds), so a crash at any moment leaves only whole files in the index.
 *
 * <p>Each operation is queued and runs in the order given; {@link #await} waits for them and
 * rethrows the first failure. The counters are read after {@link #await}.
 */
final class IndexWrites implements AutoCloseable {

    private final VectorIndex index;
    private final IngestPlanner.Planned planned;
    private final IngestOptions options;
    private final IngestListener listener;
    private final AtomicBoolean stop;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(IngestPipeline.threads("index"));
    private final List<Future<?>> tasks = Collections.synchronizedList(new ArrayList<>());
    private final List<IngestReport.Failure> warnings = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong nanos = new AtomicLong();
    // index-thread state
    private int filesIndexed;
    private int filesMoved;
    private int chunksWritten;
    private int chunksCarried;
    private int sinceCommit;
    private long lastCommit = System.nanoTime();

    IndexWrites(
            VectorIndex index,
            IngestPlanner.Planned planned,
            IngestOptions options,
            IngestListener listener,
            AtomicBoolean stop) {
        this.index = index;
        this.planned = planned;
        this.options = options;
        this.listener = listener;
        this.stop = stop;
    }

    /** Replaces the file's documents with their chunks and deletes its embedded documents that are gone. */
    void write(PreparedFile file) {
        submit(() -> replace(file));
    }

    /** Same content, new modification time: refreshes the stored time so the next run's fast path works. */
    void touch(Path file) {
        submit(() -> refreshTime(file));
    }

    /** A renamed or moved file: carries its chunks and vectors over, embeds nothing. */
    void move(IngestPlan.Move move) {
        submit(() -> carryOver(move));
    }

    /** Deletes the documents of gone files, with the documents embedded in them. */
    void delete(List<String> fileIds) {
        submit(() -> {
            for (String id : fileIds) {
                for (String documentId : planned.documentIds(id)) {
                    index.deleteDocument(documentId);
                }
            }
        });
    }

    void commit() {
        submit(index::commit);
    }

    /** Waits for every queued operation; the first that failed stops the run and is rethrown. */
    void await() {
        while (true) {
            Future<?> f;
            synchronized (tasks) {
                if (tasks.isEmpty()) {
                    return;
                }
                f = tasks.removeFirst();
            }
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalRagException("ingest interrupted", e);
            } catch (ExecutionException e) {
                stop.set(true);
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new LocalRagException("writing the index failed: " + cause, cause);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Files written or moved. */
    int filesIndexed() {
        return filesIndexed;
    }

    int filesMoved() {
        return filesMoved;
    }

    /** Chunks of written and moved files. */
    int chunksWritten() {
        return chunksWritten;
    }

    /** Chunks of moved files, whose vectors were carried over. */
    int chunksCarried() {
        return chunksCarried;
    }

    List<IngestReport.Failure> warnings() {
        return List.copyOf(warnings);
    }

    long nanos() {
        return nanos.get();
    }

    // ---- on the index thread ----

    private void submit(Runnable task) {
        tasks.add(thread.submit(() -> {
            long t0 = System.nanoTime();
            try {
                task.run();
            } finally {
                nanos.addAndGet(System.nanoTime() - t0);
            }
        }));
    }

    private void replace(PreparedFile p) {
        Set<String> ids = new HashSet<>();
        int written = 0;
        for (PreparedFile.Document d : p.documents) {
            List<ChunkRecord> records = new ArrayList<>(d.chunks().size());
            for (PreparedFile.PendingChunk c : d.chunks()) {
                records.add(new ChunkRecord(records.size(), c.text, c.vector));
            }
            index.replaceDocument(d.document(), records);
            ids.add(d.document().id());
            written += records.size();
        }
        for (String old : planned.embeddedIds().getOrDefault(p.file.toString(), List.of())) {
            if (!ids.contains(old)) {
                index.deleteDocument(old);
            }
        }
        filesIndexed++;
        chunksWritten += written;
        for (String problem : p.problems) {
            warnings.add(new IngestReport.Failure(p.file, problem));
            listener.warning(p.file, problem);
        }
        listener.indexed(p.file, written);
        wrote();
    }

    private void refreshTime(Path file) {
        String id = file.toString();
        SourceDocument old = planned.known().get(id);
        SourceDocument fresh = planned.facts().get(file);
        index.replaceDocument(
                new SourceDocument(
                                id,
                                old.title(),
                                old.mimeType(),
                                old.contentHash(),
                                fresh.size(),
                                fresh.modifiedMillis())
                        .withMetadata(old.metadata()),
                index.chunkRecords(id));
        wrote();
    }

    private void carryOver(IngestPlan.Move move) {
        SourceDocument fresh = planned.facts().get(move.to());
        Path from = Path.of(move.from());
        String oldName = from.getFileName().toString();
        String newName = move.to().getFileName().toString();
        int written = 0;
        for (String oldId : planned.documentIds(move.from())) {
            SourceDocument old = planned.known().get(oldId);
            String newId = move.to() + oldId.substring(move.from().length());
            String title = old.title().equals(oldName) ? newName : old.title();
            String oldRoot = DocumentMetadata.breadcrumbRoot(move.from(), oldId, from);
            String newRoot = DocumentMetadata.breadcrumbRoot(move.from(), oldId, move.to());
            List<ChunkRecord> records = new ArrayList<>();
            for (ChunkRecord r : index.chunkRecords(oldId)) {
                records.add(new ChunkRecord(r.ordinal(), Breadcrumb.reroot(r.text(), oldRoot, newRoot), r.vector()));
            }
            index.replaceDocument(
                    new SourceDocument(
                                    newId,
                                    title,
                                    old.mimeType(),
                                    old.contentHash(),
                                    fresh.size(),
                                    fresh.modifiedMillis())
                            .withMetadata(old.metadata()),
                    records);
            index.deleteDocument(oldId);
            written += records.size();
        }
        filesMoved++;
        filesIndexed++;
        chunksWritten += written;
        chunksCarried += written;
        listener.indexed(move.to(), written);
        wrote();
    }

    /** Commits every N files or T seconds, only ever between files. */
    private void wrote() {
        sinceCommit++;
        if (sinceCommit >= options.commitEveryDocuments()
                || System.nanoTime() - lastCommit >= options.commitInterval().toNanos()) {
            index.commit();
            sinceCommit = 0;
            lastCommit = System.nanoTime();
        }
    }
}
