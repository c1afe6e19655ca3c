package dev.localrag.ingest;

import dev.localrag.core.Checks;
import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.index.HybridCalibration;
import dev.localrag.core.index.VectorIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Brings the index in line with some files and folders, incrementally:
 *
 * <ol>
 *   <li><b>Plan</b> ({@link IngestPlanner}): walk the paths and compare each file with the index.
 *       Same size and modification time: unchanged, nothing is read. Otherwise the content hash
 *       decides: same hash, unchanged (only the stored time is refreshed); a hash the index has
 *       under a path that is gone, a move (the chunks and vectors are carried over, nothing is
 *       embedded); else added or updated. Documents of files gone from an ingested folder are
 *       deleted unless pruning is off.
 *   <li><b>Parse, chunk and embed</b> ({@link IngestPipeline}) changed files on several threads,
 *       embedding only chunk texts whose vectors are not known.
 *   <li><b>Index</b> ({@link IndexWrites}) on one thread: a file with its embedded documents is
 *       replaced in one step, and commits happen only between files (every N files or T seconds),
 *       so a crash at any moment leaves only whole files in the index and the next run picks up the
 *       rest.
 * </ol>
 *
 * A file that fails is reported and skipped; the others go on (unless fail-fast is set). Nothing
 * already stored for a file that fails is removed.
 */
public final class Ingestor {

    /** Metadata key of a document's author, when its file names one (filterable: {@code --filter author=...}). */
    public static final String AUTHOR = DocumentMetadata.AUTHOR;
    /** Metadata key of a document's creation date from its file, ISO 8601 (compares as text). */
    public static final String CREATED = DocumentMetadata.CREATED;
    /** Metadata key of a document's language from its file's metadata. */
    public static final String LANGUAGE = DocumentMetadata.LANGUAGE;
    /** Metadata key of the page count of paged formats (PDF, presentations), an Integer. */
    public static final String PAGES = DocumentMetadata.PAGES;

    private final VectorIndex index;
    private final Embedder embedder;
    private final Chunker chunker;
    private final DocumentParser parser;
    private final IngestOptions options;
    private final IngestPlanner planner;

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
        this.planner = new IngestPlanner(index, new SourceWalker(options.selection()), options.prune());
    }

    /** Works out what {@link #ingest} would do, without changing anything. */
    public IngestPlan plan(List<Path> paths) {
        return planner.plan(paths).plan();
    }

    public IngestReport ingest(List<Path> paths, IngestListener listener) {
        return ingest(paths, listener, () -> false);
    }

    /**
     * As {@link #ingest(List, IngestListener)}, stopping early once {@code stopRequested} says so:
     * no new file is started, files already written are committed, nothing is deleted, and the
     * report says {@link IngestReport#stoppedEarly()}.
     */
    public IngestReport ingest(List<Path> paths, IngestListener listener, BooleanSupplier stopRequested) {
        Checks.notEmpty(paths, "paths");
        Checks.notNull(listener, "listener");
        Checks.notNull(stopRequested, "stopRequested");
        long start = System.nanoTime();
        IngestPlanner.Planned planned = planner.plan(paths);
        long planNanos = System.nanoTime() - start;
        IngestListener serial = serialized(listener);
        serial.planned(planned.plan());
        if (options.dryRun()) {
            return dryRun(planned.plan(), start, planNanos);
        }
        IngestReport report = new IngestPipeline(
                        index, embedder, chunker, parser, options, planned, serial, stopRequested)
                .execute(start, planNanos);
        if (worthCalibrating(index, report)) {
            // how well the embedder reads these documents sets hybrid search's vector weight (every backend)
            HybridCalibration.calibrate(index, embedder);
        }
        return report;
    }

    /**
     * Whether to measure the hybrid weight again: never measured, or a tenth of the chunks or more
     * written now (a watched folder's single saved file does not pay for 100 query embeddings).
     */
    private static boolean worthCalibrating(VectorIndex index, IngestReport report) {
        if (report.chunks() == 0 && report.deleted() == 0) {
            return false;
        }
        return Double.isNaN(index.manifest().hybridVectorWeight())
                || report.chunks() * 10L >= Math.max(1, index.stats().chunks());
    }

    private static IngestReport dryRun(IngestPlan p, long start, long planNanos) {
        return new IngestReport(
                p.filesSeen(),
                0,
                p.unchanged().size(),
                0,
                p.skipped().stream()
                        .map(s -> new IngestReport.Failure(s.file(), s.reason()))
                        .toList(),
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
            public synchronized void toEmbed(Path file, int chunks) {
                l.toEmbed(file, chunks);
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
}
