package dev.localrag.ingest;

import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.LocalRagException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Watches folders and their subfolders (new ones as they appear) and hands over debounced batches:
 * a batch is due once no event has come for the quiet period (an editor's save through a temporary
 * file and a rename is one batch; so is a {@code git checkout} touching a thousand files), or at the
 * latest after the longest delay while events keep coming.
 *
 * <p>A batch names the watched folders to bring in step, never single files: a sync of the folder
 * is incremental, and so ignore files, globs relative to the folder, moves and deletions all work
 * as in a plain ingest. When the operating system's event queue overflows ({@code OVERFLOW}) or a
 * watched folder that disappeared comes back, the batch says so ({@link Batch#rescan()}) and every
 * subfolder is registered again. While a folder is gone it is left out of batches (its documents
 * stay in the index) and {@link Handler#gone} is told once.
 *
 * <p>{@link #run} blocks on the calling thread until {@link #close()}; the handler runs on that
 * thread, and events that come meanwhile make the next batch.
 */
public final class FolderWatcher implements AutoCloseable {

    /**
     * Folders to bring in step.
     *
     * @param folders the watched folders that changed (present now)
     * @param events how many file-system events the batch gathers
     * @param rescan why every file must be looked at again ("event queue overflow", "folder came
     *     back"), or empty for ordinary changes
     */
    public record Batch(List<Path> folders, int events, String rescan) {
        public Batch {
            folders = List.copyOf(folders);
            Checks.notNull(rescan, "rescan");
        }
    }

    /** Receives batches on the watching thread. */
    public interface Handler {
        /** Bring {@code batch.folders()} in step; events meanwhile wait for the next batch. */
        void changed(Batch batch);

        /** A watched folder disappeared; it is watched again (and re-scanned) when it comes back. */
        default void gone(Path folder) {}
    }

    private final List<Path> roots;
    private final Duration quiet;
    private final Duration maxDelay;
    private final Duration checkInterval;
    private final boolean hidden;
    private final Predicate<Path> ignore;
    private final WatchService service;
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final Set<Path> gone = new LinkedHashSet<>();
    private final Map<Path, String> due = new LinkedHashMap<>(); // root -> rescan reason ("" = plain)
    private volatile boolean closed;
    private int events;
    private long firstEvent;
    private long lastEvent;

    private FolderWatcher(Builder b) {
        this.roots = b.roots;
        this.quiet = b.quiet;
        this.maxDelay = b.maxDelay;
        this.checkInterval = b.checkInterval;
        this.hidden = b.hidden;
        this.ignore = b.ignore;
        try {
            this.service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot watch folders: " + e.getMessage(), e);
        }
        try {
            for (Path root : roots) {
                registerTree(root);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A watcher of {@code folders} (each must be an existing folder; registered at once, so that a
     * change right after {@link Builder#build()} is seen).
     */
    public static Builder builder(List<Path> folders) {
        return new Builder(folders);
    }

    /** The watched folders, absolute and with links resolved. */
    public List<Path> folders() {
        return roots;
    }

    /**
     * Watches until {@link #close()}, calling {@code handler} for every batch. A handler that
     * throws ends the watch with its exception.
     */
    public void run(Handler handler) {
        Checks.notNull(handler, "handler");
        try {
            while (!closed) {
                WatchKey key = service.poll(waitNanos(), TimeUnit.NANOSECONDS);
                if (key != null) {
                    take(key);
                }
                checkRoots(handler);
                if (!due.isEmpty() && batchDue()) {
                    Batch batch = batch();
                    if (!batch.folders().isEmpty()) {
                        handler.changed(batch);
                    }
                }
            }
        } catch (ClosedWatchServiceException e) {
            // closed: the watch ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops {@link #run}: at once when it waits for events, else after the running batch. */
    @Override
    public void close() {
        closed = true;
        try {
            service.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop watching: " + e.getMessage(), e);
        }
    }

    private long waitNanos() {
        if (due.isEmpty()) {
            return checkInterval.toNanos();
        }
        long now = System.nanoTime();
        long at = Math.min(lastEvent + quiet.toNanos(), firstEvent + maxDelay.toNanos());
        return Math.max(1, Math.min(at - now, checkInterval.toNanos()));
    }

    private boolean batchDue() {
        long now = System.nanoTime();
        return now - lastEvent >= quiet.toNanos() || now - firstEvent >= maxDelay.toNanos();
    }

    private Batch batch() {
        List<Path> folders = new ArrayList<>();
        Set<String> reasons = new LinkedHashSet<>();
        for (Map.Entry<Path, String> e : due.entrySet()) {
            if (!gone.contains(e.getKey())) {
                folders.add(e.getKey());
                if (!e.getValue().isEmpty()) {
                    reasons.add(e.getValue());
                }
            }
        }
        Batch batch = new Batch(folders, events, String.join(", ", reasons));
        due.clear();
        events = 0;
        return batch;
    }

    /** Takes a key's events: registers new subfolders, marks their root due. */
    private void take(WatchKey key) {
        do {
            Path dir = dirs.get(key);
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    overflow();
                    continue;
                }
                if (dir == null) {
                    continue;
                }
                Path child = dir.resolve((Path) event.context());
                if (ignored(child)) {
                    continue;
                }
                if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                        && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    registerTree(child); // files made before it is registered: the sync walks them
                } else if (event.kind() == StandardWatchEventKinds.ENTRY_DELETE) {
                    forget(child); // a folder moved away keeps its watch on Linux: drop it
                }
                mark(rootOf(dir), "");
            }
            if (!key.reset()) {
                Path removed = dirs.remove(key); // its folder is gone; a gone root is noticed by checkRoots
                if (removed != null) {
                    keys.remove(removed, key);
                }
            }
            key = service.poll();
        } while (key != null);
    }

    private void overflow() {
        for (Path root : roots) {
            if (!gone.contains(root)) {
                mark(root, "event queue overflow");
                registerTree(root); // folders made meanwhile were missed
            }
        }
    }

    /** Notices roots that disappeared, and roots that came back (registered again, re-scanned). */
    private void checkRoots(Handler handler) {
        for (Path root : roots) {
            boolean present = Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS) && watched(root);
            if (gone.contains(root)) {
                if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        registerTree(root);
                    } catch (UncheckedIOException e) {
                        continue; // going away again while registered: try at the next check
                    }
                    gone.remove(root);
                    mark(root, "folder came back");
                }
            } else if (!present) {
                if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                    // replaced by a new folder between two checks: a new watch, all looked at again
                    registerTree(root);
                    mark(root, "folder came back");
                } else {
                    gone.add(root);
                    due.remove(root);
                    forget(root);
                    handler.gone(root);
                }
            }
        }
    }

    private boolean watched(Path root) {
        WatchKey key = keys.get(root);
        return key != null && key.isValid();
    }

    private void mark(Path root, String reason) {
        long now = System.nanoTime();
        if (due.isEmpty()) {
            firstEvent = now;
        }
        lastEvent = now;
        events++;
        String before = due.get(root);
        due.put(root, before == null || before.isEmpty() ? reason : before);
    }

    private Path rootOf(Path dir) {
        Path best = roots.getFirst();
        int depth = -1;
        for (Path root : roots) {
            if (dir.startsWith(root) && root.getNameCount() > depth) {
                best = root;
                depth = root.getNameCount();
            }
        }
        return best;
    }

    /** Hidden names (unless taken), index folders and what the caller ignores never start a sync. */
    private boolean ignored(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (!hidden && name.startsWith(".") && !name.equals(SourceWalker.IGNORE_FILE)) {
            return true;
        }
        return ignore.test(path) || SourceWalker.isIndexAuditLog(path) || SourceWalker.isLuceneIndex(path);
    }

    private void forget(Path dir) {
        if (!keys.containsKey(dir)) {
            return; // a file, or a folder never watched
        }
        Iterator<Map.Entry<WatchKey, Path>> it = dirs.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<WatchKey, Path> e = it.next();
            if (e.getValue().startsWith(dir)) {
                e.getKey().cancel();
                keys.remove(e.getValue(), e.getKey());
                it.remove();
            }
        }
    }

    /** Registers {@code top} and every folder below it that could hold files to ingest. */
    private void registerTree(Path top) {
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(top) && ignored(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    register(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone meanwhile, or unreadable: the sync reports it
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot watch " + top + ": " + e.getMessage(), e);
        }
    }

    private void register(Path dir) throws IOException {
        try {
            // a folder renamed within the tree keeps its watch (and key): record its new path
            WatchKey key = dir.register(
                    service,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            Path before = dirs.put(key, dir);
            if (before != null && !before.equals(dir)) {
                keys.remove(before, key);
            }
            keys.put(dir, key);
        } catch (java.nio.file.NoSuchFileException e) {
            // removed while the tree was walked: nothing to watch
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("inotify")) {
                throw new LocalRagException(
                        "Cannot watch " + dir + ": " + e.getMessage() + ". Raise the limit, e.g. sudo sysctl"
                                + " fs.inotify.max_user_watches=524288, or watch fewer folders.",
                        e);
            }
            throw e;
        }
    }

    /** Builds a {@link FolderWatcher}. */
    public static final class Builder {
        private final List<Path> roots;
        private Duration quiet = Duration.ofMillis(500);
        private Duration maxDelay = Duration.ofSeconds(10);
        private Duration checkInterval = Duration.ofSeconds(1);
        private boolean hidden;
        private Predicate<Path> ignore = path -> false;

        private Builder(List<Path> folders) {
            Checks.notEmpty(folders, "folders");
            List<Path> resolved = new ArrayList<>();
            for (Path folder : folders) {
                if (!Files.isDirectory(folder)) {
                    throw new ConfigurationException("Only folders can be watched, but " + folder
                            + (Files.exists(folder)
                                    ? " is a file; watch the folder that holds it."
                                    : " does not exist."));
                }
                try {
                    Path real = folder.toRealPath();
                    if (!resolved.contains(real)) {
                        resolved.add(real);
                    }
                } catch (IOException e) {
                    throw new ConfigurationException("Cannot resolve " + folder + ": " + e.getMessage());
                }
            }
            this.roots = List.copyOf(resolved);
        }

        /** A batch is due when no event has come for this long (default 500 ms). */
        public Builder quietPeriod(Duration quiet) {
            this.quiet = positive(quiet, "quietPeriod");
            return this;
        }

        /** ... or at the latest this long after its first event (default 10 s). */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = positive(maxDelay, "maxDelay");
            return this;
        }

        /** How often a gone folder is looked for (default 1 s). */
        public Builder checkInterval(Duration checkInterval) {
            this.checkInterval = positive(checkInterval, "checkInterval");
            return this;
        }

        /** Whether hidden files and folders count (as the ingest's selection says; default no). */
        public Builder hidden(boolean hidden) {
            this.hidden = hidden;
            return this;
        }

        /** Paths whose events never start a sync, e.g. the index's own audit log. */
        public Builder ignore(Predicate<Path> ignore) {
            this.ignore = Checks.notNull(ignore, "ignore");
            return this;
        }

        public FolderWatcher build() {
            if (maxDelay.compareTo(quiet) < 0) {
                throw new IllegalArgumentException(
                        "maxDelay (" + maxDelay + ") must not be shorter than quietPeriod (" + quiet + ")");
            }
            return new FolderWatcher(this);
        }

        private static Duration positive(Duration d, String name) {
            Checks.notNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0, but was " + d);
            }
            return d;
        }
    }
}
