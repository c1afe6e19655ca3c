package dev.localrag.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What an ingest run did.
 *
 * @param filesSeen files found under the given paths
 * @param filesIndexed files (re)indexed in this run
 * @param filesUnchanged files skipped because the index already has this content
 * @param chunks chunks written in this run
 * @param failures files that could not be indexed, with the reason
 * @param elapsed wall time
 */
public record IngestReport(
        int filesSeen, int filesIndexed, int filesUnchanged, int chunks, List<Failure> failures, Duration elapsed) {

    /** A file that was skipped, and why. */
    public record Failure(Path file, String reason) {}

    public IngestReport {
        failures = List.copyOf(failures);
    }

    public boolean hasFailures() {
        return !failures.isEmpty();
    }
}
