package dev.localrag.runtime;

import dev.localrag.core.Checks;
import dev.localrag.ingest.FolderWatcher;
import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestOptions;
import dev.localrag.ingest.IngestReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Live folders: a first sync of the folders, then a sync of each folder that changes, as long as
 * it runs ({@code rag ingest --watch}, {@code rag serve --watch}, {@code LocalRag.watch}).
 *
 * <p>Changes are gathered by a {@link FolderWatcher} (debounced; an overflow of the operating
 * system's event queue or a folder that comes back is a full re-scan) and applied by the same
 * incremental ingest as {@code rag ingest}: the same ignore files, size limits, guarded parsing,
 * atomic writes per document and audit log entries. Unchanged files are recognised by size and
 * time without being read, so a sync of a folder costs a walk plus the work for what changed.
 *
 * <pre>{@code
 * try (RagRuntime rag = RagRuntime.builder(config).build();
 *         WatchedIngest watch = WatchedIngest.builder(rag, List.of(Path.of("docs"))).build()) {
 *     new Thread(watch::run).start(); // returns after watch.close()
 * }
 * }</pre>
 */
public final class WatchedIngest implements AutoCloseable {

    /** Hears what the watch does; calls come from the thread that runs it, one at a time. */
    public interface Listener {
        /** The progress listener of the sync about to run for {@code batch}. */
        default IngestListener progress(FolderWatcher.Batch batch) {
            return IngestListener.NONE;
        }

        /** A sync ended ({@link IngestReport#stoppedEarly()} when {@link #close()} cut it short). */
        default void synced(FolderWatcher.Batch batch, IngestReport report) {}

        /** A sync threw (the embedder is down, say); the watch goes on and the next change retries. */
        default void failed(FolderWatcher.Batch batch, RuntimeException e) {}

        /** A watched folder disappeared: its documents stay until it comes back and is re-scanned. */
        default void gone(Path folder) {}
    }

    /** Runs one sync of some folders; the default is {@link RagRuntime#ingestAudited}. */
    @FunctionalInterface
    public interface Sync {
        IngestReport run(List<Path> folders, IngestListener listener, BooleanSupplier stopRequested);
    }

    /** The reason given for the first sync's batch. */
    public static final String FIRST_SYNC = "first sync";

    private final FolderWatcher watcher;
    private final Sync sync;
    private final Listener listener;
    private volatile boolean stopping;

    private WatchedIngest(Builder b) {
        this.listener = b.listener;
        Path audit = real(b.rag.audit().file());
        this.watcher = FolderWatcher.builder(b.folders)
                .quietPeriod(b.quiet)
                .maxDelay(b.maxDelay)
                .hidden(b.options.selection().hidden())
                .ignore(path -> path.toString().startsWith(audit.toString())) // the log and its rotations
                .build();
        this.sync = b.sync != null
                ? b.sync
                : (folders, progress, stop) ->
                        b.rag.ingestAudited(AuditLog.osUser(), "local", b.action, folders, b.options, progress, stop);
    }

    /** Watches {@code folders} (existing folders) of {@code rag}'s index. */
    public static Builder builder(RagRuntime rag, List<Path> folders) {
        return new Builder(rag, folders);
    }

    /** The watched folders, absolute with links resolved. */
    public List<Path> folders() {
        return watcher.folders();
    }

    /**
     * Syncs every folder, then each folder that changes, until {@link #close()}. A first sync that
     * throws ends the watch with its exception; later failures go to {@link Listener#failed}.
     */
    public void run() {
        FolderWatcher.Batch first = new FolderWatcher.Batch(watcher.folders(), 0, FIRST_SYNC);
        listener.synced(first, sync.run(first.folders(), listener.progress(first), () -> stopping));
        watcher.run(new FolderWatcher.Handler() {
            @Override
            public void changed(FolderWatcher.Batch batch) {
                if (stopping) {
                    return;
                }
                IngestReport report;
                try {
                    report = sync.run(batch.folders(), listener.progress(batch), () -> stopping);
                } catch (RuntimeException e) {
                    listener.failed(batch, e);
                    return;
                }
                listener.synced(batch, report);
            }

            @Override
            public void gone(Path folder) {
                listener.gone(folder);
            }
        });
    }

    /**
     * Ends {@link #run}: at once while it waits for changes; a running sync starts no new file,
     * commits what it wrote and returns. Does not wait for {@link #run} to return.
     */
    @Override
    public void close() {
        stopping = true;
        watcher.close();
    }

    private static Path real(Path file) {
        try {
            return file.getParent().toRealPath().resolve(file.getFileName());
        } catch (IOException e) {
            return file; // its folder does not exist yet: as configured
        }
    }

    /** Builds a {@link WatchedIngest}. */
    public static final class Builder {
        private final RagRuntime rag;
        private final List<Path> folders;
        private IngestOptions options = IngestOptions.DEFAULT;
        private Listener listener = new Listener() {};
        private Sync sync;
        private String action = "watch";
        private Duration quiet = Duration.ofMillis(500);
        private Duration maxDelay = Duration.ofSeconds(10);

        private Builder(RagRuntime rag, List<Path> folders) {
            this.rag = Checks.notNull(rag, "rag");
            this.folders = List.copyOf(Checks.notEmpty(folders, "folders"));
        }

        /** How each sync runs (selection, pruning, threads); dry runs are refused. */
        public Builder options(IngestOptions options) {
            Checks.notNull(options, "options");
            if (options.dryRun()) {
                throw new IllegalArgumentException("a watch cannot be a dry run");
            }
            this.options = options;
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = Checks.notNull(listener, "listener");
            return this;
        }

        /** The audit log's action for each sync (default {@code watch}); not used with {@link #sync}. */
        public Builder action(String action) {
            this.action = Checks.notBlank(action, "action");
            return this;
        }

        /** Runs each sync some other way, e.g. as a server's ingest job; it audits, then. */
        public Builder sync(Sync sync) {
            this.sync = Checks.notNull(sync, "sync");
            return this;
        }

        /** See {@link FolderWatcher.Builder#quietPeriod}. */
        public Builder quietPeriod(Duration quiet) {
            this.quiet = Checks.notNull(quiet, "quietPeriod");
            return this;
        }

        /** See {@link FolderWatcher.Builder#maxDelay}. */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = Checks.notNull(maxDelay, "maxDelay");
            return this;
        }

        /** Registers the watches at once: a change right after this is seen. */
        public WatchedIngest build() {
            return new WatchedIngest(this);
        }
    }
}
