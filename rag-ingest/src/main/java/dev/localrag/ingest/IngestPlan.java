package dev.localrag.ingest;

import java.nio.file.Path;
import java.util.List;

/**
 * What an ingest will do, worked out before any parsing: the file system compared with the index.
 *
 * @param added files the index does not have
 * @param updated files whose content changed
 * @param moved files the index has under another path (same content): moved without re-embedding
 * @param deleted documents of files gone from an ingested folder (empty with pruning off)
 * @param unchanged files whose size and time, or content hash, match the index
 * @param skipped files found but not taken (too large, links outside the folder, unreadable)
 * @param ignored files and folders left out by hidden / .ragignore / glob rules
 */
public record IngestPlan(
        List<Path> added,
        List<Path> updated,
        List<Move> moved,
        List<String> deleted,
        List<Path> unchanged,
        List<SourceWalker.Skipped> skipped,
        int ignored) {

    /** A file found at a new path with content the index has under {@code from}. */
    public record Move(String from, Path to) {}

    public IngestPlan {
        added = List.copyOf(added);
        updated = List.copyOf(updated);
        moved = List.copyOf(moved);
        deleted = List.copyOf(deleted);
        unchanged = List.copyOf(unchanged);
        skipped = List.copyOf(skipped);
    }

    /** Files that will be parsed and embedded. */
    public int toParse() {
        return added.size() + updated.size();
    }

    /** Files found, whatever happens to them. */
    public int filesSeen() {
        return added.size() + updated.size() + moved.size() + unchanged.size() + skipped.size();
    }
}
