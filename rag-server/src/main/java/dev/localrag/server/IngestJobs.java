package dev.localrag.server;

import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestOptions;
import dev.localrag.ingest.IngestReport;
import dev.localrag.runtime.AuditLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ingest jobs: each runs on its own virtual thread, one at a time per collection (the collection's
 * write lock), and reports progress, failures and the result. The last {@value #KEEP} jobs are kept.
 */
final class IngestJobs implements AutoCloseable {

    static final int KEEP = 1000;

    enum State {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        FAILED,
        CANCELLED
    }

    /** One job; fields are read while it runs. */
    static final class Job {
        final String id = UUID.randomUUID().toString();
        final String collection;
        final String source;
        final List<Path> paths;
        final Instant created = Instant.now();
        volatile Instant started;
        volatile Instant finished;
        volatile State state = State.QUEUED;
        final AtomicInteger indexed = new AtomicInteger();
        final AtomicInteger unchanged = new AtomicInteger();
        final List<Map<String, String>> failures = Collections.synchronizedList(new ArrayList<>());
        volatile IngestReport report;
        volatile Map<String, Object> error;
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

        final Audit audit;

        Job(String collection, String source, List<Path> paths, Audit audit) {
            this.collection = collection;
            this.source = source;
            this.paths = List.copyOf(paths);
            this.audit = audit;
        }

        /** Blocks until the job has finished (succeeded, failed or cancelled). */
        void await() throws InterruptedException {
            done.await();
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("collection", collection);
            m.put("source", source);
            m.put("status", state.name().toLowerCase(java.util.Locale.ROOT));
            m.put("paths", paths.stream().map(Path::toString).toList());
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("indexed", indexed.get());
            progress.put("unchanged", unchanged.get());
            progress.put("failed", failures.size());
            m.put("progress", progress);
            synchronized (failures) {
                m.put("failures", List.copyOf(failures));
            }
            IngestReport r = report;
            if (r != null) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("filesSeen", r.filesSeen());
                result.put("filesIndexed", r.filesIndexed());
                result.put("filesUnchanged", r.filesUnchanged());
                result.put("filesFailed", r.failures().size());
                result.put("chunks", r.chunks());
                result.put("elapsedMs", r.elapsed().toMillis());
                m.put("result", result);
            } else {
                m.put("result", null);
            }
            m.put("error", error);
            m.put("createdAt", created.toString());
            m.put("startedAt", started == null ? null : started.toString());
            m.put("finishedAt", finished == null ? null : finished.toString());
            return m;
        }
    }

    private volatile boolean closing;
    private final Map<String, Job> jobs = Collections.synchronizedMap(new LinkedHashMap<>());
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ServerMetrics metrics;
    private final ErrorMapper errors;

    IngestJobs(ServerMetrics metrics, ErrorMapper errors) {
        this.metrics = metrics;
        this.errors = errors;
    }

    /**
     * Queues an ingest of {@code paths}; when it ends, one line in the collection's audit log
     * records it. The caller has checked that the log can be written.
     */
    Job submit(ServedCollection collection, String source, List<Path> paths, Audit audit) {
        Job job = new Job(collection.name(), source, paths, audit);
        synchronized (jobs) {
            jobs.put(job.id, job);
            if (jobs.size() > KEEP) {
                jobs.entrySet().stream()
                        .filter(e -> e.getValue().finished != null)
                        .findFirst()
                        .ifPresent(e -> jobs.remove(e.getKey()));
            }
        }
        executor.execute(() -> run(collection, job));
        return job;
    }

    Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /**
     * Cancels a job that has not started: it ends {@code cancelled}. A running job is not stopped
     * (stopping mid-write could leave the index damaged): 409 {@code job_running}; a finished one:
     * 409 {@code job_finished}.
     */
    Job cancel(Job job) {
        synchronized (job) {
            if (job.state == State.RUNNING) {
                throw new ApiException(
                        409,
                        "job_running",
                        "Job " + job.id + " is indexing now and runs to the end (stopping it mid-write could damage"
                                + " the index); delete its documents when it is done.");
            }
            if (job.state != State.QUEUED) {
                throw new ApiException(
                        409,
                        "job_finished",
                        "Job " + job.id + " has already ended ("
                                + job.state.name().toLowerCase(java.util.Locale.ROOT) + ").");
            }
            job.state = State.CANCELLED;
            job.error = ErrorMapper.body(
                    new ErrorMapper.Mapped(499, "cancelled", "Cancelled before it started; nothing was indexed."));
            job.finished = Instant.now();
        }
        return job;
    }

    private void run(ServedCollection collection, Job job) {
        try {
            collection.writeLock().lockInterruptibly();
        } catch (InterruptedException e) {
            job.state = State.CANCELLED;
            job.error = ErrorMapper.body(new ErrorMapper.Mapped(503, "shutting_down", "The server shut down first."));
            job.finished = Instant.now();
            job.done.countDown();
            return;
        }
        try {
            synchronized (job) {
                if (job.state == State.CANCELLED) {
                    return; // cancelled while it waited for the collection
                }
                if (closing || !collection.isOpen()) {
                    job.state = State.CANCELLED;
                    job.error = ErrorMapper.body(new ErrorMapper.Mapped(
                            503, "shutting_down", "The server shut down before the job started."));
                    job.finished = Instant.now();
                    return;
                }
                job.started = Instant.now();
                job.state = State.RUNNING;
            }
            IngestReport report = collection.runtime().ingest(job.paths, IngestOptions.DEFAULT, new IngestListener() {
                @Override
                public void indexed(Path file, int chunks) {
                    job.indexed.incrementAndGet();
                }

                @Override
                public void unchanged(Path file) {
                    job.unchanged.incrementAndGet();
                }

                @Override
                public void failed(Path file, String reason) {
                    job.failures.add(Map.of("path", file.toString(), "reason", reason));
                }
            });
            job.report = report;
            metrics.ingested(job.collection, "indexed", report.filesIndexed());
            metrics.ingested(job.collection, "unchanged", report.filesUnchanged());
            metrics.ingested(job.collection, "failed", report.failures().size());
            metrics.ingestRun(job.collection, report.chunks(), report.elapsed(), report.filesIndexed());
            job.state = State.SUCCEEDED;
        } catch (RuntimeException e) {
            if (e instanceof dev.localrag.core.ModelUnavailableException) {
                metrics.upstreamError("embedder");
            }
            job.error = errors.body(e);
            job.state = State.FAILED;
        } finally {
            if (job.finished == null) {
                job.finished = Instant.now();
            }
            try {
                record(collection, job);
            } finally {
                collection.writeLock().unlock();
                job.done.countDown();
            }
        }
    }

    /** The job's audit line; a log that fails now fails the job (the change itself is done). */
    private void record(ServedCollection collection, Job job) {
        IngestReport r = job.report;
        try {
            collection
                    .audit()
                    .append(job.audit.entry(
                            collection,
                            job.paths.stream().map(Path::toString).toList(),
                            job.state.name().toLowerCase(java.util.Locale.ROOT),
                            r == null ? Map.of() : AuditLog.counts(r)));
        } catch (RuntimeException e) {
            job.error = errors.body(e);
            job.state = State.FAILED;
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * Jobs that have not started are cancelled; a running one gets {@code grace} to finish. Running
     * jobs are never interrupted: an interrupt during Lucene's file I/O would break the index.
     */
    void close(Duration grace) {
        closing = true;
        executor.shutdown();
        try {
            executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
