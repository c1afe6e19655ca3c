package dev.localrag.ingest;

import dev.localrag.core.Checks;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How an ingest runs. Build with {@link #builder()}; every setting has a default.
 *
 * @param selection which files to take
 * @param prune remove documents of files that are gone from an ingested folder
 * @param dryRun only work out the plan; change nothing
 * @param failFast stop at the first file that fails
 * @param parseThreads threads that parse and chunk files
 * @param batchesInFlight embedding batches queued or running at once
 * @param commitEveryDocuments commit after this many written files
 * @param commitInterval commit at least this often while files are written
 * @param embeddingJournal where vectors are kept as batches finish, so that a run stopped part way
 *     resumes without embedding them again (deleted when a run ends with every file written); null:
 *     none
 */
public record IngestOptions(
        SourceWalker.Rules selection,
        boolean prune,
        boolean dryRun,
        boolean failFast,
        int parseThreads,
        int batchesInFlight,
        int commitEveryDocuments,
        Duration commitInterval,
        Path embeddingJournal) {

    public static final IngestOptions DEFAULT = builder().build();

    public IngestOptions {
        Checks.notNull(selection, "selection");
        Checks.between(parseThreads, 1, 256, "parseThreads");
        Checks.between(batchesInFlight, 1, 64, "batchesInFlight");
        Checks.positive(commitEveryDocuments, "commitEveryDocuments");
        Checks.notNull(commitInterval, "commitInterval");
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("commitInterval must be > 0, but was " + commitInterval);
        }
    }

    /** These options with {@code journal} as the embedding journal (null: none). */
    public IngestOptions withEmbeddingJournal(Path journal) {
        return toBuilder().embeddingJournal(journal).build();
    }

    /** These options with {@code threads} parse threads. */
    public IngestOptions withParseThreads(int threads) {
        return toBuilder().parseThreads(threads).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return builder()
                .selection(selection)
                .prune(prune)
                .dryRun(dryRun)
                .failFast(failFast)
                .parseThreads(parseThreads)
                .batchesInFlight(batchesInFlight)
                .commitEveryDocuments(commitEveryDocuments)
                .commitInterval(commitInterval)
                .embeddingJournal(embeddingJournal);
    }

    public static final class Builder {
        private SourceWalker.Rules selection = SourceWalker.Rules.DEFAULT;
        private boolean prune = true;
        private boolean dryRun;
        private boolean failFast;
        private int parseThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int batchesInFlight = 2;
        private int commitEveryDocuments = 200;
        private Duration commitInterval = Duration.ofSeconds(30);
        private Path embeddingJournal;

        private Builder() {}

        public Builder selection(SourceWalker.Rules selection) {
            this.selection = selection;
            return this;
        }

        public Builder prune(boolean prune) {
            this.prune = prune;
            return this;
        }

        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        public Builder parseThreads(int parseThreads) {
            this.parseThreads = parseThreads;
            return this;
        }

        public Builder batchesInFlight(int batchesInFlight) {
            this.batchesInFlight = batchesInFlight;
            return this;
        }

        public Builder commitEveryDocuments(int commitEveryDocuments) {
            this.commitEveryDocuments = commitEveryDocuments;
            return this;
        }

        public Builder commitInterval(Duration commitInterval) {
            this.commitInterval = commitInterval;
            return this;
        }

        /** See {@link IngestOptions#embeddingJournal()}; null (the default): none. */
        public Builder embeddingJournal(Path embeddingJournal) {
            this.embeddingJournal = embeddingJournal;
            return this;
        }

        public IngestOptions build() {
            return new IngestOptions(
                    selection,
                    prune,
                    dryRun,
                    failFast,
                    parseThreads,
                    batchesInFlight,
                    commitEveryDocuments,
                    commitInterval,
                    embeddingJournal);
        }
    }
}
