package dev.localrag.ingest;

import dev.localrag.core.Checks;
import dev.localrag.core.LocalRagException;
import dev.localrag.core.chunk.Chunk;
import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.VectorIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brings the index in line with some files and folders, incrementally:
 *
 * <ol>
 *   <li><b>Plan</b>: walk the paths and compare each file with the index. Same size and modification
 *       time: unchanged, nothing is read. Otherwise the content hash decides: same hash, unchanged
 *       (only the stored time is refreshed); a hash the index has under a path that is gone, a move
 *       (the chunks and vectors are carried over, nothing is embedded); else added or updated.
 *       Documents of files gone from an ingested folder are deleted unless pruning is off.
 *   <li><b>Parse and chunk</b> changed files on several threads (each parse guarded by the parser).
 *   <li><b>Embed</b> only chunk texts whose vectors are not known: the vectors of the file's previous
 *       version are read back from the index and reused when the text is the same (the cache key is
 *       the embedder plus the exact text embedded). Chunks of several files share a batch; a bounded
 *       number of batches is in flight, so the embedder never waits for parsing.
 *   <li><b>Index</b> on one thread: a file with its embedded documents is replaced in one step, and
 *       commits happen only between files (every N files or T seconds), so a crash at any moment
 *       leaves only whole files in the index and the next run picks up the rest.
 * </ol>
 *
 * A file that fails is reported and skipped; the others go on (unless fail-fast is set). Nothing
 * already stored for a file that fails is removed.
 */
public final class Ingestor {

    /** Chunk vectors kept for reuse within one run, beyond those of the files being updated. */
    private static final int RUN_CACHE_LIMIT = 100_000;

    private final VectorIndex index;
    private final Embedder embedder;
    private final Chunker chunker;
    private final DocumentParser parser;
    private final IngestOptions options;
    private final SourceWalker walker;

    public Ingestor(VectorIndex index, Embedder embedder, Chunker chunker, DocumentParser parser) {
        this(index, embedder, chunker, parser, IngestOptions.DEFAULT);
    }

    public Ingestor(
            VectorIndex index, Embedder embedder, Chunker chunker, DocumentParser parser, IngestOptions options) {
        this.index = Checks.notNull(index, "index");
        this.embedder = Checks.notNull(embedder, "embedder");
        this.chunker = Checks.notNull(chunker, "chunker");
        this.parser = Checks.notNull(parser, "parser");
        this.options = Checks.notNull(options, "options");
        this.walker = new SourceWalker(options.selection());
    }

    /** Works out what {@link #ingest} would do, without changing anything. */
    public IngestPlan plan(List<Path> paths) {
        return planned(paths).plan;
    }

    public IngestReport ingest(List<Path> paths, IngestListener listener) {
        Checks.notEmpty(paths, "paths");
        Checks.notNull(listener, "listener");
        long start = System.nanoTime();
        Planned planned = planned(paths);
        long planNanos = System.nanoTime() - start;
        IngestListener serial = serialized(listener);
        serial.planned(planned.plan);
        if (options.dryRun()) {
            IngestPlan p = planned.plan;
            return new IngestReport(
                    p.filesSeen(),
                    0,
                    p.unchanged().size(),
                    0,
                    skippedAsFailures(p),
                    Duration.ofNanos(System.nanoTime() - start),
                    p.added().size(),
                    p.updated().size(),
                    p.moved().size(),
                    p.deleted().size(),
                    0,
                    0,
                    List.of(),
                    new IngestReport.Timings(
                            Duration.ofNanos(planNanos), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO),
                    true,
                    false);
        }
        Run run = new Run(planned, serial);
        return run.execute(start, planNanos);
    }

    // ---------------------------------------------------------------- planning

    /** The plan and what executing it needs. */
    private static final class Planned {
        IngestPlan plan;
        final Map<Path, SourceDocument> facts = new HashMap<>();
        final Map<String, SourceDocument> known = new HashMap<>();
        final Map<String, List<String>> embeddedIds = new HashMap<>();
        final List<Path> touched = new ArrayList<>();
    }

    private Planned planned(List<Path> paths) {
        Checks.notEmpty(paths, "paths");
        SourceWalker.Selection selection = walker.select(paths);
        Planned p = new Planned();
        p.known.putAll(index.documents());
        Set<String> containers = new HashSet<>();
        for (String id : p.known.keySet()) {
            String container = containerOf(id, p.known.keySet());
            if (container.equals(id)) {
                containers.add(id);
            } else {
                p.embeddedIds.computeIfAbsent(container, k -> new ArrayList<>()).add(id);
            }
        }
        Set<String> present = new HashSet<>();
        for (Path f : selection.files()) {
            present.add(f.toString());
        }
        for (SourceWalker.Skipped s : selection.skipped()) {
            present.add(s.file().toString()); // still there: keep what the index has
        }
        // documents of files gone from an ingested folder; moves are matched against them first
        Map<String, String> goneByHash = new LinkedHashMap<>();
        List<String> gone = new ArrayList<>();
        for (String id : containers) {
            if (!present.contains(id) && underAny(id, selection.folders())) {
                gone.add(id);
                goneByHash.putIfAbsent(p.known.get(id).contentHash(), id);
            }
        }
        Collections.sort(gone);

        List<Path> added = new ArrayList<>();
        List<Path> updated = new ArrayList<>();
        List<IngestPlan.Move> moved = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        List<SourceWalker.Skipped> skipped = new ArrayList<>(selection.skipped());
        Set<String> movedFrom = new HashSet<>();
        for (Path file : selection.files()) {
            String id = file.toString();
            SourceDocument before = p.known.get(id);
            try {
                BasicFileAttributes attrs =
                        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                long size = attrs.size();
                long mtime = attrs.lastModifiedTime().toMillis();
                if (before != null && before.size() == size && before.modifiedMillis() == mtime) {
                    unchanged.add(file);
                    continue;
                }
                SourceDocument described = new SourceDocument(id, "", "", sha256(file), size, mtime);
                p.facts.put(file, described);
                if (before != null && before.contentHash().equals(described.contentHash())) {
                    unchanged.add(file);
                    p.touched.add(file);
                } else if (before == null
                        && goneByHash.containsKey(described.contentHash())
                        && !movedFrom.contains(goneByHash.get(described.contentHash()))) {
                    String from = goneByHash.get(described.contentHash());
                    movedFrom.add(from);
                    moved.add(new IngestPlan.Move(from, file));
                } else if (before == null) {
                    added.add(file);
                } else {
                    updated.add(file);
                }
            } catch (IOException | UncheckedIOException e) {
                skipped.add(new SourceWalker.Skipped(file, "cannot read: " + e.getMessage()));
            }
        }
        List<String> deleted = options.prune()
                ? gone.stream().filter(id -> !movedFrom.contains(id)).toList()
                : List.of();
        p.plan = new IngestPlan(added, updated, moved, deleted, unchanged, skipped, selection.ignored());
        return p;
    }

    /** The file an index id belongs to: the id itself, or for {@code a.eml!/x.pdf} the known {@code a.eml}. */
    static String containerOf(String id, Set<String> knownIds) {
        int from = 0;
        int bang;
        while ((bang = id.indexOf("!/", from)) > 0) {
            String prefix = id.substring(0, bang);
            if (knownIds.contains(prefix)) {
                return prefix;
            }
            from = bang + 2;
        }
        return id;
    }

    private static boolean underAny(String id, List<Path> folders) {
        for (Path folder : folders) {
            String prefix = folder.toString().endsWith("/") ? folder.toString() : folder + "/";
            if (id.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static List<IngestReport.Failure> skippedAsFailures(IngestPlan plan) {
        return plan.skipped().stream()
                .map(s -> new IngestReport.Failure(s.file(), s.reason()))
                .toList();
    }

    // ---------------------------------------------------------------- running

    /** A chunk of a prepared file: its text, what to embed, and the vector once known. */
    private static final class PendingChunk {
        final String text;
        final String embedText;
        final String key;
        Prepared owner;
        float[] vector;

        PendingChunk(String text, String embedText, String key) {
            this.text = text;
            this.embedText = embedText;
            this.key = key;
        }
    }

    /** One document of a prepared file (the file itself or an embedded one). */
    private record PreparedDocument(SourceDocument document, List<PendingChunk> chunks) {}

    /** A parsed, chunked file waiting for embeddings, or the reason it failed. */
    private static final class Prepared {
        final Path file;
        final List<PreparedDocument> documents;
        final List<String> problems;
        final String failure;
        int waiting; // chunks without a vector; guarded by the Run's embedding lock
        volatile String embedFailure;

        Prepared(Path file, List<PreparedDocument> documents, List<String> problems, String failure) {
            this.file = file;
            this.documents = documents;
            this.problems = problems;
            this.failure = failure;
            for (PreparedDocument d : documents) {
                for (PendingChunk c : d.chunks()) {
                    c.owner = this;
                }
            }
        }

        int chunkCount() {
            return documents.stream().mapToInt(d -> d.chunks().size()).sum();
        }
    }

    /** Chunk texts embedded in one call, and where their vectors go. */
    private static final class Batch {
        final Map<String, String> textsByKey = new LinkedHashMap<>();
        final Map<String, List<PendingChunk>> targets = new HashMap<>();
        final List<Prepared> files = new ArrayList<>();

        int size() {
            return textsByKey.size();
        }
    }

    private final class Run {
        private final Planned planned;
        private final IngestListener listener;
        private final Map<String, float[]> cache = new ConcurrentHashMap<>();
        private final List<IngestReport.Failure> failures = Collections.synchronizedList(new ArrayList<>());
        private final List<IngestReport.Failure> warnings = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong parseNanos = new AtomicLong();
        private final AtomicLong chunkNanos = new AtomicLong();
        private final AtomicLong embedNanos = new AtomicLong();
        private final AtomicLong indexNanos = new AtomicLong();
        private final ExecutorService embedThread = Executors.newSingleThreadExecutor(named("embed"));
        private final ExecutorService indexThread = Executors.newSingleThreadExecutor(named("index"));
        private final Semaphore inFlight;
        private final List<Future<?>> indexTasks = Collections.synchronizedList(new ArrayList<>());
        private final Object embeddingLock = new Object();
        // index-thread state
        private int indexed;
        private int moved;
        private int chunks;
        private int sinceCommit;
        private long lastCommit = System.nanoTime();
        // counters touched by the embed thread
        private final AtomicLong chunksEmbedded = new AtomicLong();
        private final AtomicLong chunksReused = new AtomicLong();

        Run(Planned planned, IngestListener listener) {
            this.planned = planned;
            this.listener = listener;
            this.inFlight = new Semaphore(options.batchesInFlight());
        }

        IngestReport execute(long start, long planNanos) {
            IngestPlan plan = planned.plan;
            for (SourceWalker.Skipped s : plan.skipped()) {
                fail(s.file(), s.reason());
            }
            for (Path file : plan.unchanged()) {
                listener.unchanged(file);
            }
            try {
                for (Path file : planned.touched) {
                    submitIndex(() -> touch(file));
                }
                for (IngestPlan.Move move : plan.moved()) {
                    submitIndex(() -> move(move));
                }
                if (!stop.get()) {
                    prepareAndEmbed(plan);
                }
                drain(embedThread);
                waitForIndexTasks();
                if (!stop.get()) {
                    submitIndex(() -> {
                        for (String id : plan.deleted()) {
                            deleteWithEmbedded(id);
                        }
                    });
                }
                submitIndex(index::commit);
                waitForIndexTasks();
            } finally {
                embedThread.shutdownNow();
                indexThread.shutdownNow();
            }
            List<IngestReport.Failure> failed = List.copyOf(failures);
            return new IngestReport(
                    plan.filesSeen(),
                    indexed,
                    plan.unchanged().size(),
                    chunks,
                    failed,
                    Duration.ofNanos(System.nanoTime() - start),
                    (int) plan.added().stream()
                            .filter(f -> !failedFile(failed, f))
                            .count(),
                    (int) plan.updated().stream()
                            .filter(f -> !failedFile(failed, f))
                            .count(),
                    moved,
                    stop.get() ? 0 : plan.deleted().size(),
                    (int) chunksEmbedded.get(),
                    (int) chunksReused.get(),
                    List.copyOf(warnings),
                    new IngestReport.Timings(
                            Duration.ofNanos(planNanos),
                            Duration.ofNanos(parseNanos.get()),
                            Duration.ofNanos(chunkNanos.get()),
                            Duration.ofNanos(embedNanos.get()),
                            Duration.ofNanos(indexNanos.get())),
                    false,
                    stop.get());
        }

        private static boolean failedFile(List<IngestReport.Failure> failed, Path file) {
            for (IngestReport.Failure f : failed) {
                if (f.file().equals(file)) {
                    return true;
                }
            }
            return false;
        }

        // ---- parse and embed (calling thread orchestrates) ----

        private void prepareAndEmbed(IngestPlan plan) {
            List<Path> work =
                    new ArrayList<>(plan.added().size() + plan.updated().size());
            work.addAll(plan.updated());
            work.addAll(plan.added());
            Collections.sort(work);
            if (work.isEmpty()) {
                return;
            }
            ExecutorService parsers = Executors.newFixedThreadPool(options.parseThreads(), named("parse"));
            try {
                ExecutorCompletionService<Prepared> done = new ExecutorCompletionService<>(parsers);
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
                while (consumed < submitted && !stop.get()) {
                    Prepared prepared = take(done);
                    consumed++;
                    if (next.hasNext() && !stop.get()) {
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
                if (!stop.get() && batch.size() > 0) {
                    dispatch(batch);
                } else if (!stop.get()) {
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

        private Prepared take(ExecutorCompletionService<Prepared> done) {
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
        private Batch addToBatch(Prepared prepared, Batch batch) {
            int waiting = 0;
            for (PreparedDocument d : prepared.documents) {
                for (PendingChunk c : d.chunks()) {
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
            batch.files.add(prepared);
            for (PreparedDocument d : prepared.documents) {
                for (PendingChunk c : d.chunks()) {
                    if (c.vector == null) {
                        batch.textsByKey.putIfAbsent(c.key, c.embedText);
                        batch.targets
                                .computeIfAbsent(c.key, k -> new ArrayList<>())
                                .add(c);
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
            List<Prepared> files = List.copyOf(batch.files);
            batch.files.clear();
            if (files.isEmpty()) {
                return;
            }
            // goes through the embed thread so that files reach the index in the order they were read
            acquireInFlight();
            embedThread.submit(() -> {
                try {
                    for (Prepared p : files) {
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

        private void acquireInFlight() {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalRagException("ingest interrupted", e);
            }
        }

        /** Runs on the embed thread. */
        private void embedBatch(Batch batch) {
            List<String> keys = new ArrayList<>(batch.textsByKey.keySet());
            List<String> texts = new ArrayList<>(batch.textsByKey.values());
            List<float[]> vectors;
            long t0 = System.nanoTime();
            try {
                if (stop.get()) {
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
            chunksEmbedded.addAndGet(texts.size());
            chunksReused.addAndGet(
                    batch.targets.values().stream().mapToInt(List::size).sum() - texts.size());
            listener.embedded(texts.size());
            for (int i = 0; i < keys.size(); i++) {
                float[] v = vectors.get(i);
                if (cache.size() < RUN_CACHE_LIMIT) {
                    cache.put(keys.get(i), v);
                }
                for (PendingChunk c : batch.targets.get(keys.get(i))) {
                    c.vector = v;
                    synchronized (embeddingLock) {
                        c.owner.waiting--;
                    }
                }
            }
            for (Prepared p : batch.files) {
                completeIfReady(p);
            }
        }

        private void failBatch(List<Prepared> files, String reason) {
            for (Prepared p : files) {
                if (p.embedFailure == null) {
                    p.embedFailure = reason;
                    fail(p.file, reason);
                }
            }
        }

        /** Hands a file whose vectors are all known to the index thread. Embed thread. */
        private void completeIfReady(Prepared p) {
            boolean ready;
            synchronized (embeddingLock) {
                ready = p.waiting == 0;
                if (ready) {
                    p.waiting = -1; // hand over once
                }
            }
            if (ready && p.embedFailure == null && !stop.get()) {
                submitIndex(() -> write(p));
            }
        }

        /** Parse and chunk thread. */
        private Prepared prepare(Path file) {
            if (stop.get()) {
                return new Prepared(file, List.of(), List.of(), "not attempted: the run stopped at an earlier failure");
            }
            SourceDocument described = planned.facts.get(file);
            long t0 = System.nanoTime();
            ParsedFile parsed;
            try {
                parsed = parser.parse(file);
            } catch (ParseFailedException e) {
                return new Prepared(file, List.of(), List.of(), e.getMessage());
            } catch (RuntimeException e) {
                return new Prepared(file, List.of(), List.of(), "cannot parse: " + e);
            } finally {
                parseNanos.addAndGet(System.nanoTime() - t0);
            }
            long t1 = System.nanoTime();
            try {
                Map<String, float[]> previous = previousVectors(file.toString());
                List<PreparedDocument> documents = new ArrayList<>();
                boolean anyText = false;
                for (ParsedDocument d : parsed.documents()) {
                    String id = d.embedded() ? file + "!" + d.embeddedPath() : file.toString();
                    String name = d.embedded()
                            ? file.getFileName() + "!" + d.embeddedPath()
                            : file.getFileName().toString();
                    SourceDocument document = new SourceDocument(
                                    id,
                                    d.title(),
                                    d.mimeType(),
                                    described.contentHash(),
                                    described.size(),
                                    described.modifiedMillis())
                            .withMetadata(documentMetadata(d));
                    if (d.text().isBlank()) {
                        if (!d.embedded()) {
                            documents.add(new PreparedDocument(document, List.of()));
                        }
                        continue;
                    }
                    anyText = true;
                    List<PendingChunk> chunks = new ArrayList<>();
                    for (Chunk c : chunker.chunk(name, d.text())) {
                        String text = embeddingText(d.title(), c.text());
                        PendingChunk pending = new PendingChunk(c.text(), text, key(text));
                        pending.vector = previous.get(pending.key);
                        chunks.add(pending);
                    }
                    documents.add(new PreparedDocument(document, chunks));
                }
                if (!anyText) {
                    String why = described.size() == 0
                            ? "empty file (0 bytes)"
                            : "no text could be extracted (empty, scanned images without OCR, or binary)";
                    return new Prepared(file, List.of(), parsed.problems(), why);
                }
                return new Prepared(file, documents, parsed.problems(), null);
            } catch (RuntimeException e) {
                return new Prepared(file, List.of(), List.of(), "cannot chunk: " + e.getMessage());
            } finally {
                chunkNanos.addAndGet(System.nanoTime() - t1);
            }
        }

        /** Vectors of the file's previous version (and its embedded documents), by cache key. */
        private Map<String, float[]> previousVectors(String fileId) {
            if (!planned.known.containsKey(fileId)) {
                return Map.of();
            }
            Map<String, float[]> out = new HashMap<>();
            List<String> ids = new ArrayList<>();
            ids.add(fileId);
            ids.addAll(planned.embeddedIds.getOrDefault(fileId, List.of()));
            for (String id : ids) {
                SourceDocument old = planned.known.get(id);
                for (ChunkRecord r : index.chunkRecords(id)) {
                    out.put(key(embeddingText(old.title(), r.text())), r.vector());
                }
            }
            return out;
        }

        // ---- index thread ----

        private void submitIndex(Runnable task) {
            indexTasks.add(indexThread.submit(() -> {
                long t0 = System.nanoTime();
                try {
                    task.run();
                } finally {
                    indexNanos.addAndGet(System.nanoTime() - t0);
                }
            }));
        }

        private void waitForIndexTasks() {
            while (true) {
                Future<?> f;
                synchronized (indexTasks) {
                    if (indexTasks.isEmpty()) {
                        return;
                    }
                    f = indexTasks.removeFirst();
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

        private void write(Prepared p) {
            Set<String> ids = new HashSet<>();
            int written = 0;
            for (PreparedDocument d : p.documents) {
                List<ChunkRecord> records = new ArrayList<>(d.chunks().size());
                for (PendingChunk c : d.chunks()) {
                    records.add(new ChunkRecord(records.size(), c.text, c.vector));
                }
                index.replaceDocument(d.document(), records);
                ids.add(d.document().id());
                written += records.size();
            }
            for (String old : planned.embeddedIds.getOrDefault(p.file.toString(), List.of())) {
                if (!ids.contains(old)) {
                    index.deleteDocument(old);
                }
            }
            indexed++;
            chunks += written;
            for (String problem : p.problems) {
                warnings.add(new IngestReport.Failure(p.file, problem));
                listener.warning(p.file, problem);
            }
            listener.indexed(p.file, written);
            wrote(1);
        }

        /** Same content, new modification time: refresh the stored time so the next run's fast path works. */
        private void touch(Path file) {
            String id = file.toString();
            SourceDocument old = planned.known.get(id);
            SourceDocument fresh = planned.facts.get(file);
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
            wrote(1);
        }

        /** A renamed or moved file: carry chunks and vectors over, embed nothing. */
        private void move(IngestPlan.Move move) {
            SourceDocument fresh = planned.facts.get(move.to());
            String oldName = Path.of(move.from()).getFileName().toString();
            String newName = move.to().getFileName().toString();
            List<String> ids = new ArrayList<>();
            ids.add(move.from());
            ids.addAll(planned.embeddedIds.getOrDefault(move.from(), List.of()));
            int written = 0;
            for (String oldId : ids) {
                SourceDocument old = planned.known.get(oldId);
                String newId = move.to() + oldId.substring(move.from().length());
                String title = old.title().equals(oldName) ? newName : old.title();
                List<ChunkRecord> records = new ArrayList<>();
                for (ChunkRecord r : index.chunkRecords(oldId)) {
                    String text =
                            r.text().startsWith(oldName) ? newName + r.text().substring(oldName.length()) : r.text();
                    records.add(new ChunkRecord(r.ordinal(), text, r.vector()));
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
            moved++;
            indexed++;
            chunks += written;
            chunksReused.addAndGet(written);
            listener.indexed(move.to(), written);
            wrote(1);
        }

        private void deleteWithEmbedded(String id) {
            index.deleteDocument(id);
            for (String embeddedId : planned.embeddedIds.getOrDefault(id, List.of())) {
                index.deleteDocument(embeddedId);
            }
        }

        private void wrote(int files) {
            sinceCommit += files;
            if (sinceCommit >= options.commitEveryDocuments()
                    || System.nanoTime() - lastCommit
                            >= options.commitInterval().toNanos()) {
                index.commit();
                sinceCommit = 0;
                lastCommit = System.nanoTime();
            }
        }

        // ---- failures ----

        private void fail(Path file, String reason) {
            failures.add(new IngestReport.Failure(file, reason));
            listener.failed(file, reason);
            if (options.failFast()) {
                stop.set(true);
            }
        }

        private void drain(ExecutorService executor) {
            Future<?> barrier = executor.submit(() -> {});
            try {
                barrier.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalRagException("ingest interrupted", e);
            } catch (ExecutionException e) {
                throw new LocalRagException("ingest failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private String key(String embeddedText) {
        return sha256(embedder.spec() + "\u0000" + embeddedText);
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return Thread.ofPlatform().daemon().name("ingest-" + name + "-", 0).factory();
    }

    /** Serializes listener calls from the pipeline's threads. */
    private static IngestListener serialized(IngestListener l) {
        return new IngestListener() {
            @Override
            public synchronized void planned(IngestPlan plan) {
                l.planned(plan);
            }

            @Override
            public synchronized void indexed(Path file, int chunks) {
                l.indexed(file, chunks);
            }

            @Override
            public synchronized void embedded(int chunks) {
                l.embedded(chunks);
            }

            @Override
            public synchronized void unchanged(Path file) {
                l.unchanged(file);
            }

            @Override
            public synchronized void failed(Path file, String reason) {
                l.failed(file, reason);
            }

            @Override
            public synchronized void warning(Path file, String message) {
                l.warning(file, message);
            }
        };
    }

    /** The title travels with each chunk into the embedding: it tells the model what the chunk is about. */
    static String embeddingText(String title, String chunk) {
        return title.isBlank() || chunk.startsWith(title) ? chunk : title + "\n\n" + chunk;
    }

    /** Metadata key of a document's author, when its file names one (filterable: {@code --filter author=...}). */
    public static final String AUTHOR = "author";
    /** Metadata key of a document's creation date from its file, ISO 8601 (compares as text). */
    public static final String CREATED = "created";
    /** Metadata key of a document's language from its file's metadata. */
    public static final String LANGUAGE = "language";
    /** Metadata key of the page count of paged formats (PDF, presentations), an Integer. */
    public static final String PAGES = "pages";

    /** The parser's author, creation date (ISO 8601, compares as text), language and page count; absent ones left out. */
    static Map<String, Object> documentMetadata(ParsedDocument d) {
        Map<String, Object> m = new java.util.TreeMap<>();
        putText(m, AUTHOR, d.author());
        putText(m, CREATED, d.created());
        putText(m, LANGUAGE, d.language());
        if (d.pages() > 0) {
            m.put(PAGES, d.pages());
        }
        return m;
    }

    /** Metadata values are index terms: a file's odd 100 KB "author" is cut rather than failing the file. */
    private static final int MAX_METADATA_CHARS = 1000;

    private static void putText(Map<String, Object> m, String key, String value) {
        String v = value.strip();
        if (!v.isEmpty()) {
            m.put(key, v.length() > MAX_METADATA_CHARS ? v.substring(0, MAX_METADATA_CHARS) : v);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
