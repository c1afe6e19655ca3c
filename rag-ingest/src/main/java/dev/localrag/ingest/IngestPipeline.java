package dev.localrag.ingest;

import dev.localrag.core.LocalRagException;
import dev.localrag.core.chunk.Chunk;
import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.VectorIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One ingest run carrying out a plan:
 *
 * <ol>
 *   <li><b>Parse and chunk</b> changed files on several threads (each parse guarded by the parser).
 *   <li><b>Embed</b> only chunk texts whose vectors are not known: the vectors of the file's previous
 *       version are read back from the index and reused when the text is the same (the cache key is
 *       the embedder plus the exact text embedded). Chunks of several files share a batch; a bounded
 *       number of batches is in flight, so the embedder never waits for parsing.
 *   <li><b>Index</b> whole files through {@link IndexWrites}, in the order they were read.
 * </ol>
 *
 * With an {@link EmbeddingJournal} every batch's vectors are also kept on disk as it finishes, and
 * those of an earlier run that was stopped are reused: a large file stopped part way resumes where
 * it stopped, while the index still only ever receives it whole.
 *
 * A file that fails is reported and skipped; the others go on (unless fail-fast is set). Used once.
 */
final class IngestPipeline {

    /** Chunk vectors kept for reuse within one run, beyond those of the files being updated. */
    private static final int RUN_CACHE_LIMIT = 100_000;

    private final VectorIndex index;
    private final Embedder embedder;
    private final Chunker chunker;
    private final DocumentParser parser;
    private final IngestOptions options;
    private final IngestPlanner.Planned planned;
    private final IngestListener listener;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final BooleanSupplier stopRequested;
    private final IndexWrites writes;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();
    private final List<IngestReport.Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong parseNanos = new AtomicLong();
    private final AtomicLong chunkNanos = new AtomicLong();
    private final AtomicLong embedNanos = new AtomicLong();
    // one embed thread, widened on the first batch to the embedder's concurrency (a pool of servers)
    private final ThreadPoolExecutor embedThread =
            new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads("embed"));
    private boolean embedThreadsSized;
    private int permits; // of inFlight: every queued or running embed-thread task holds one
    private final Semaphore inFlight;
    private final Object embeddingLock = new Object();
    private final AtomicLong chunksEmbedded = new AtomicLong();
    private final AtomicLong chunksReused = new AtomicLong();
    private final EmbeddingJournal journal;
    private final AtomicBoolean embeddingFailed = new AtomicBoolean();

    /** @param listener called from several threads: must be serialized */
    IngestPipeline(
            VectorIndex index,
            Embedder embedder,
            Chunker chunker,
            DocumentParser parser,
            IngestOptions options,
            IngestPlanner.Planned planned,
            IngestListener listener,
            BooleanSupplier stopRequested) {
        this.index = index;
        this.stopRequested = stopRequested;
        this.embedder = embedder;
        this.chunker = chunker;
        this.parser = parser;
        this.options = options;
        this.planned = planned;
        this.listener = listener;
        this.permits = options.batchesInFlight();
        this.inFlight = new Semaphore(permits);
        this.writes = new IndexWrites(index, planned, options, listener, stop);
        this.journal = options.embeddingJournal() == null ? null : EmbeddingJournal.open(options.embeddingJournal());
        if (journal != null) {
            cache.putAll(journal.entries());
        }
    }

    IngestReport execute(long start, long planNanos) {
        IngestPlan plan = planned.plan();
        boolean deletesDone = false;
        for (SourceWalker.Skipped s : plan.skipped()) {
            fail(s.file(), s.reason());
        }
        for (Path file : plan.unchanged()) {
            listener.unchanged(file);
        }
        try (writes) {
            for (Path file : planned.touched()) {
                writes.touch(file);
            }
            for (IngestPlan.Move move : plan.moved()) {
                writes.move(move);
            }
            if (!stopped()) {
                prepareAndEmbed(plan);
            }
            drainEmbedThreads();
            writes.await();
            if (!stopped()) {
                writes.delete(plan.deleted());
                deletesDone = true;
            }
            writes.commit();
            writes.await();
            if (journal != null && !stop.get() && !embeddingFailed.get()) {
                journal.clear(); // every vector in it is in the index now
            }
        } finally {
            embedThread.shutdownNow();
            if (journal != null) {
                journal.close();
            }
        }
        List<IngestReport.Failure> failed = List.copyOf(failures);
        return new IngestReport(
                plan.filesSeen(),
                writes.filesIndexed(),
                plan.unchanged().size(),
                writes.chunksWritten(),
                failed,
                Duration.ofNanos(System.nanoTime() - start),
                (int) plan.added().stream().filter(f -> !failedFile(failed, f)).count(),
                (int) plan.updated().stream()
                        .filter(f -> !failedFile(failed, f))
                        .count(),
                writes.filesMoved(),
                deletesDone ? plan.deleted().size() : 0,
                (int) chunksEmbedded.get(),
                (int) chunksReused.get() + writes.chunksCarried(),
                writes.warnings(),
                new IngestReport.Timings(
                        Duration.ofNanos(planNanos),
                        Duration.ofNanos(parseNanos.get()),
                        Duration.ofNanos(chunkNanos.get()),
                        Duration.ofNanos(embedNanos.get()),
                        Duration.ofNanos(writes.nanos())),
                false,
                !deletesDone);
    }

    static ThreadFactory threads(String name) {
        return Thread.ofPlatform().daemon().name("ingest-" + name + "-", 0).factory();
    }

    /** The title travels with each chunk into the embedding: it tells the model what the chunk is about. */
    static String embeddingText(String title, String chunk) {
        return title.isBlank() || chunk.startsWith(title) ? chunk : title + "\n\n" + chunk;
    }

    private static boolean failedFile(List<IngestReport.Failure> failed, Path file) {
        for (IngestReport.Failure f : failed) {
            if (f.file().equals(file)) {
                return true;
            }
        }
        return false;
    }

    // ---- parse and embed (the calling thread orchestrates) ----

    /** Chunk texts embedded in one call, and where their vectors go. */
    private static final class Batch {
        final Map<String, String> textsByKey = new LinkedHashMap<>();
        final Map<String, List<PreparedFile.PendingChunk>> targets = new HashMap<>();
        final List<PreparedFile> files = new ArrayList<>();

        int size() {
            return textsByKey.size();
        }
    }

    private void prepareAndEmbed(IngestPlan plan) {
        List<Path> work = new ArrayList<>(plan.added().size() + plan.updated().size());
        work.addAll(plan.updated());
        work.addAll(plan.added());
        Collections.sort(work);
        if (work.isEmpty()) {
            return;
        }
        ExecutorService parsers = Executors.newFixedThreadPool(options.parseThreads(), threads("parse"));
        try {
            ExecutorCompletionService<PreparedFile> done = new ExecutorCompletionService<>(parsers);
            // parsed files waiting for the embedder are bounded: enough to fill the batches in flight
            int ahead = Math.max(options.parseThreads() * 2, 8);
            Iterator<Path> next = work.iterator();
            int submitted = 0;
            int consumed = 0;
            while (submitted < ahead && next.hasNext()) {
                Path file = next.next();
                done.submit(() -> prepare(file));
                submitted++;
            }
            Batch batch = new Batch();
            while (consumed < submitted && !stopped()) {
                PreparedFile prepared = take(done);
                consumed++;
                if (next.hasNext() && !stopped()) {
                    Path file = next.next();
                    done.submit(() -> prepare(file));
                    submitted++;
                }
                if (prepared.failure != null) {
                    fail(prepared.file, prepared.failure);
                    continue;
                }
                batch = addToBatch(prepared, batch);
            }
            if (!stopped() && batch.size() > 0) {
                dispatch(batch);
            } else if (!stopped()) {
                flushFilesWithoutEmbedding(batch);
            }
        } finally {
            parsers.shutdownNow();
            try {
                parsers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private PreparedFile take(ExecutorCompletionService<PreparedFile> done) {
        try {
            return done.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRagException("ingest interrupted", e);
        } catch (ExecutionException e) {
            throw new LocalRagException("ingest failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Adds a file's chunks that need embedding; returns the batch to keep filling. */
    private Batch addToBatch(PreparedFile prepared, Batch batch) {
        int waiting = 0;
        for (PreparedFile.Document d : prepared.documents) {
            for (PreparedFile.PendingChunk c : d.chunks()) {
                if (c.vector == null) {
                    float[] cached = cache.get(c.key);
                    if (cached != null) {
                        c.vector = cached;
                        chunksReused.incrementAndGet();
                    } else {
                        waiting++;
                    }
                } else {
                    chunksReused.incrementAndGet();
                }
            }
        }
        if (waiting == 0) {
            // nothing to embed; keep file order behind batches already queued
            batch.files.add(prepared);
            if (batch.size() == 0) {
                flushFilesWithoutEmbedding(batch);
                return new Batch();
            }
            return batch;
        }
        synchronized (embeddingLock) {
            prepared.waiting = waiting;
        }
        listener.toEmbed(prepared.file, waiting);
        batch.files.add(prepared);
        for (PreparedFile.Document d : prepared.documents) {
            for (PreparedFile.PendingChunk c : d.chunks()) {
                if (c.vector == null) {
                    batch.textsByKey.putIfAbsent(c.key, c.embedText);
                    batch.targets.computeIfAbsent(c.key, k -> new ArrayList<>()).add(c);
                    if (batch.size() >= embedder.preferredBatchSize()) {
                        dispatch(batch);
                        Batch fresh = new Batch();
                        fresh.files.add(prepared); // the file continues in the next batch
                        batch = fresh;
                    }
                }
            }
        }
        if (batch.size() == 0) {
            // the file ended exactly at a batch boundary: it is completed by the dispatched batch
            batch.files.remove(prepared);
        }
        return batch;
    }

    private void flushFilesWithoutEmbedding(Batch batch) {
        List<PreparedFile> files = List.copyOf(batch.files);
        batch.files.clear();
        if (files.isEmpty()) {
            return;
        }
        // goes through the embed thread so that files reach the index in the order they were read
        acquireInFlight();
        embedThread.submit(() -> {
            try {
                for (PreparedFile p : files) {
                    completeIfReady(p);
                }
            } catch (RuntimeException e) { // never lose files silently in a background thread
                failBatch(files, "cannot index: " + e);
            } finally {
                inFlight.release();
            }
        });
    }

    private void dispatch(Batch batch) {
        sizeEmbedThreads();
        acquireInFlight();
        embedThread.submit(() -> {
            try {
                embedBatch(batch);
            } catch (RuntimeException e) { // never lose files silently in a background thread
                failBatch(batch.files, "cannot index: " + e);
            } finally {
                inFlight.release();
            }
        });
    }

    /**
     * Lets as many batches embed at once as the embedder can take (asked on the first batch, so an
     * ingest with nothing to embed never loads the model). With more than one, files may reach the
     * index in another order than they were read; each is still written whole.
     */
    private void sizeEmbedThreads() {
        if (embedThreadsSized) {
            return;
        }
        embedThreadsSized = true;
        int n = Math.min(64, Math.max(1, embedder.concurrency()));
        if (n > 1) {
            embedThread.setMaximumPoolSize(n);
            embedThread.setCorePoolSize(n);
            if (n > permits) {
                inFlight.release(n - permits); // room for a batch per thread
                permits = n;
            }
        }
    }

    private void acquireInFlight() {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRagException("ingest interrupted", e);
        }
    }

    /** Runs on an embed thread. */
    private void embedBatch(Batch batch) {
        List<String> keys = new ArrayList<>(batch.textsByKey.keySet());
        List<String> texts = new ArrayList<>(batch.textsByKey.values());
        List<float[]> vectors;
        long t0 = System.nanoTime();
        try {
            if (stopped()) {
                return;
            }
            vectors = embedder.embedDocuments(texts);
            if (vectors.size() != texts.size()) {
                throw new LocalRagException(
                        "the embedder returned " + vectors.size() + " vectors for " + texts.size() + " texts");
            }
        } catch (RuntimeException e) {
            failBatch(
                    batch.files,
                    "embedding failed: "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return;
        } finally {
            embedNanos.addAndGet(System.nanoTime() - t0);
        }
        if (journal != null) {
            journal.append(keys, vectors); // before the count: what was counted is stored
        }
        chunksEmbedded.addAndGet(texts.size());
        chunksReused.addAndGet(
                batch.targets.values().stream().mapToInt(List::size).sum() - texts.size());
        listener.embedded(texts.size());
        for (int i = 0; i < keys.size(); i++) {
            float[] v = vectors.get(i);
            if (cache.size() < RUN_CACHE_LIMIT) {
                cache.put(keys.get(i), v);
            }
            for (PreparedFile.PendingChunk c : batch.targets.get(keys.get(i))) {
                c.vector = v;
                synchronized (embeddingLock) {
                    c.owner.waiting--;
                }
            }
        }
        for (PreparedFile p : batch.files) {
            completeIfReady(p);
        }
    }

    private void failBatch(List<PreparedFile> files, String reason) {
        embeddingFailed.set(true); // the journal keeps what was embedded for the files' next try
        for (PreparedFile p : files) {
            if (p.embedFailure == null) {
                p.embedFailure = reason;
                fail(p.file, reason);
            }
        }
    }

    /** Hands a file whose vectors are all known to the index thread. Embed thread. */
    private void completeIfReady(PreparedFile p) {
        boolean ready;
        synchronized (embeddingLock) {
            ready = p.waiting == 0;
            if (ready) {
                p.waiting = -1; // hand over once
            }
        }
        if (ready && p.embedFailure == null && !stopped()) {
            writes.write(p);
        }
    }

    /** Parse and chunk thread. */
    private PreparedFile prepare(Path file) {
        if (stopped()) {
            return PreparedFile.failed(
                    file,
                    stop.get()
                            ? "not attempted: the run stopped at an earlier failure"
                            : "not attempted: the run was stopped");
        }
        SourceDocument described = planned.facts().get(file);
        long t0 = System.nanoTime();
        ParsedFile parsed;
        try {
            parsed = parser.parse(file);
        } catch (ParseFailedException e) {
            return PreparedFile.failed(file, e.getMessage());
        } catch (RuntimeException e) {
            return PreparedFile.failed(file, "cannot parse: " + e);
        } finally {
            parseNanos.addAndGet(System.nanoTime() - t0);
        }
        long t1 = System.nanoTime();
        try {
            Map<String, float[]> previous = previousVectors(file.toString());
            List<PreparedFile.Document> documents = new ArrayList<>();
            boolean anyText = false;
            for (ParsedDocument d : parsed.documents()) {
                SourceDocument document = DocumentMetadata.of(file, d, described);
                if (d.text().isBlank()) {
                    if (!d.embedded()) {
                        documents.add(new PreparedFile.Document(document, List.of()));
                    }
                    continue;
                }
                anyText = true;
                List<PreparedFile.PendingChunk> chunks = new ArrayList<>();
                for (Chunk c : chunker.chunk(DocumentMetadata.breadcrumbRoot(file, d), d.text())) {
                    String text = embeddingText(d.title(), c.text());
                    PreparedFile.PendingChunk pending = new PreparedFile.PendingChunk(c.text(), text, key(text));
                    pending.vector = previous.get(pending.key);
                    chunks.add(pending);
                }
                documents.add(new PreparedFile.Document(document, chunks));
            }
            if (!anyText) {
                String why = described.size() == 0
                        ? "empty file (0 bytes)"
                        : "no text could be extracted (empty, scanned images without OCR, or binary)";
                return PreparedFile.failed(file, parsed.problems(), why);
            }
            return new PreparedFile(file, documents, parsed.problems(), null);
        } catch (RuntimeException e) {
            return PreparedFile.failed(file, "cannot chunk: " + e.getMessage());
        } finally {
            chunkNanos.addAndGet(System.nanoTime() - t1);
        }
    }

    /** Vectors of the file's previous version (and its embedded documents), by cache key. */
    private Map<String, float[]> previousVectors(String fileId) {
        if (!planned.known().containsKey(fileId)) {
            return Map.of();
        }
        Map<String, float[]> out = new HashMap<>();
        for (String id : planned.documentIds(fileId)) {
            SourceDocument old = planned.known().get(id);
            for (ChunkRecord r : index.chunkRecords(id)) {
                out.put(key(embeddingText(old.title(), r.text())), r.vector());
            }
        }
        return out;
    }

    private String key(String embeddedText) {
        return Sha256.of(embedder.spec() + "\u0000" + embeddedText);
    }

    // ---- failures ----

    private void fail(Path file, String reason) {
        failures.add(new IngestReport.Failure(file, reason));
        listener.failed(file, reason);
        if (options.failFast()) {
            stop.set(true);
        }
    }

    /** After a fail-fast failure, or when the caller asked to stop: no new file is started. */
    private boolean stopped() {
        return stop.get() || stopRequested.getAsBoolean();
    }

    /** Waits until every embed-thread task has finished: each holds a permit until it ends. */
    private void drainEmbedThreads() {
        try {
            inFlight.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRagException("ingest interrupted", e);
        }
        inFlight.release(permits);
    }
}
