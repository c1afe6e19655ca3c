package dev.localrag.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What an ingest run did.
 *
 * @param filesSeen files found under the given paths
 * @param filesIndexed files (re)indexed in this run: added, updated and moved
 * @param filesUnchanged files skipped because the index already has this content
 * @param chunks chunks written in this run
 * @param failures files that could not be indexed, with the reason
 * @param elapsed wall time
 * @param added files new to the index
 * @param updated files whose content changed
 * @param moved files moved or renamed, re-indexed without embedding
 * @param deleted documents removed because their files are gone
 * @param chunksEmbedded chunk texts sent to the embedder
 * @param chunksReused chunks whose vectors came from the index or from earlier in the run
 * @param warnings parts of indexed files that were left out
 * @param timings where the time went
 * @param dryRun true when nothing was changed
 * @param stoppedEarly true when {@code --fail-fast} or the caller stopped the run
 */
public record IngestReport(
        int filesSeen,
        int filesIndexed,
        int filesUnchanged,
        int chunks,
        List<Failure> failures,
        Duration elapsed,
        int added,
        int updated,
        int moved,
        int deleted,
        int chunksEmbedded,
        int chunksReused,
        List<Failure> warnings,
        Timings timings,
        boolean dryRun,
        boolean stoppedEarly) {

    /** A file that was skipped (or a part of it left out), and why. */
    public record Failure(Path file, String reason) {}

    /**
     * Busy time of each stage. Parsing and chunking run on several threads, and so does embedding
     * with a pool of embedding servers, so their sums can exceed the wall time; index writes run on
     * one thread.
     *
     * @param plan walking the folders and comparing them with the index (sizes, times, hashes)
     * @param parse Tika parsing, summed over the parse threads
     * @param chunk chunking, summed over the parse threads
     * @param embed time inside the embedder
     * @param index writing to the index and committing
     */
    public record Timings(Duration plan, Duration parse, Duration chunk, Duration embed, Duration index) {
        public static final Timings ZERO =
                new Timings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public IngestReport {
        failures = List.copyOf(failures);
        warnings = List.copyOf(warnings);
    }

    public boolean hasFailures() {
        return !failures.isEmpty();
    }
}
