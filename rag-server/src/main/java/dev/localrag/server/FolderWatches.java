package dev.localrag.server;

import dev.localrag.core.LocalRagException;
import dev.localrag.ingest.FolderWatcher;
import dev.localrag.ingest.IngestReport;
import dev.localrag.runtime.AuditLog;
import dev.localrag.runtime.WatchedIngest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The live folders of a server ({@code rag serve --watch NAME=DIR}): one {@link WatchedIngest} per
 * collection, each sync an ingest job of that collection (its write lock, job list, metrics and
 * audit line, action {@code watch}). Each sync that changes something is one notice line.
 */
final class FolderWatches implements AutoCloseable {

    private final List<WatchedIngest> watches = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Consumer<String> notices;

    FolderWatches(
            Map<String, List<Path>> watched,
            Function<String, ServedCollection> collections,
            IngestJobs jobs,
            Consumer<String> notices) {
        this.notices = notices;
        try {
            for (Map.Entry<String, List<Path>> e : watched.entrySet()) {
                ServedCollection collection = collections.apply(e.getKey());
                watches.add(WatchedIngest.builder(collection.runtime(), e.getValue())
                        .sync((folders, listener, stop) -> sync(jobs, collection, folders))
                        .listener(new Notices(collection.name(), notices))
                        .build());
                names.add(collection.name());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts every watch (first syncs included) on threads of their own. */
    void start() {
        for (int i = 0; i < watches.size(); i++) {
            WatchedIngest w = watches.get(i);
            String name = names.get(i);
            Thread.ofPlatform().daemon().name("watch-" + name).start(() -> {
                try {
                    w.run();
                } catch (RuntimeException e) { // the first sync failed: the collection serves what it has
                    notices.accept("watch " + name + ": stopped, the first sync failed: " + e.getMessage());
                }
            });
        }
    }

    /** Stops every watch; a sync that runs finishes as an ingest job (the jobs' grace applies). */
    @Override
    public void close() {
        watches.forEach(WatchedIngest::close);
    }

    private static IngestReport sync(IngestJobs jobs, ServedCollection collection, List<Path> folders) {
        collection.audit().checkWritable();
        IngestJobs.Job job = jobs.submit(collection, "watch", folders, new Audit(AuditLog.osUser(), "local", "watch"));
        try {
            job.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRagException("watching " + folders + " was interrupted", e);
        }
        if (job.report == null) {
            throw new LocalRagException(
                    "ingest job " + job.id + " ended " + job.state.name().toLowerCase(Locale.ROOT) + ": " + job.error);
        }
        return job.report;
    }

    /** One line per sync that changed or skipped something, per folder gone, per failed sync. */
    private record Notices(String collection, Consumer<String> notices) implements WatchedIngest.Listener {
        @Override
        public void synced(FolderWatcher.Batch batch, IngestReport r) {
            boolean first = batch.rescan().equals(WatchedIngest.FIRST_SYNC);
            if (!first
                    && r.added()
                                    + r.updated()
                                    + r.moved()
                                    + r.deleted()
                                    + r.failures().size()
                            == 0) {
                return;
            }
            notices.accept(String.format(
                    Locale.ROOT,
                    "watch %s: %s %s%s: %d added, %d updated, %d moved, %d deleted, %d skipped, %d unchanged%s",
                    collection,
                    first ? "synced" : "changes in",
                    batch.folders(),
                    batch.rescan().isEmpty() || first ? "" : " (" + batch.rescan() + ": re-scanned)",
                    r.added(),
                    r.updated(),
                    r.moved(),
                    r.deleted(),
                    r.failures().size(),
                    r.filesUnchanged(),
                    first ? "; watching for changes" : ""));
        }

        @Override
        public void failed(FolderWatcher.Batch batch, RuntimeException e) {
            notices.accept("watch " + collection + ": the sync of " + batch.folders() + " failed: " + e.getMessage()
                    + " (the next change retries)");
        }

        @Override
        public void gone(Path folder) {
            notices.accept("watch " + collection + ": " + folder
                    + " is gone; its documents stay until it comes back (then it is re-scanned)");
        }
    }
}
