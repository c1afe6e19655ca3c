package dev.localrag.ingest;

import dev.localrag.core.Checks;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.VectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Works out an {@link IngestPlan}: walks the paths and compares each file with the index. Same size
 * and modification time: unchanged, nothing is read. Otherwise the content hash decides: same hash,
 * unchanged (only the stored time is refreshed); a hash the index has under a path that is gone, a
 * move; else added or updated. Documents of files gone from an ingested folder are deleted unless
 * pruning is off.
 */
final class IngestPlanner {

    /**
     * A plan and what carrying it out needs from the planning.
     *
     * @param plan what will happen
     * @param facts content hash, size and time of every file that was hashed
     * @param known the documents the index had, by id
     * @param embeddedIds the ids of documents embedded in a file, by the file's id
     * @param touched unchanged files whose stored time is to be refreshed
     */
    record Planned(
            IngestPlan plan,
            Map<Path, SourceDocument> facts,
            Map<String, SourceDocument> known,
            Map<String, List<String>> embeddedIds,
            List<Path> touched) {

        /** The file's own document id and the ids of the documents embedded in it. */
        List<String> documentIds(String fileId) {
            List<String> ids = new ArrayList<>();
            ids.add(fileId);
            ids.addAll(embeddedIds.getOrDefault(fileId, List.of()));
            return ids;
        }
    }

    private final VectorIndex index;
    private final SourceWalker walker;
    private final boolean prune;

    IngestPlanner(VectorIndex index, SourceWalker walker, boolean prune) {
        this.index = index;
        this.walker = walker;
        this.prune = prune;
    }

    Planned plan(List<Path> paths) {
        Checks.notEmpty(paths, "paths");
        SourceWalker.Selection selection = walker.select(paths);
        Map<String, SourceDocument> known = new HashMap<>(index.documents());
        Map<String, List<String>> embeddedIds = new HashMap<>();
        Set<String> containers = new HashSet<>();
        for (String id : known.keySet()) {
            String container = containerOf(id, known.keySet());
            if (container.equals(id)) {
                containers.add(id);
            } else {
                embeddedIds.computeIfAbsent(container, k -> new ArrayList<>()).add(id);
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
                goneByHash.putIfAbsent(known.get(id).contentHash(), id);
            }
        }
        Collections.sort(gone);

        Map<Path, SourceDocument> facts = new HashMap<>();
        List<Path> touched = new ArrayList<>();
        List<Path> added = new ArrayList<>();
        List<Path> updated = new ArrayList<>();
        List<IngestPlan.Move> moved = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        List<SourceWalker.Skipped> skipped = new ArrayList<>(selection.skipped());
        Set<String> movedFrom = new HashSet<>();
        for (Path file : selection.files()) {
            String id = file.toString();
            SourceDocument before = known.get(id);
            try {
                BasicFileAttributes attrs =
                        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                long size = attrs.size();
                long mtime = attrs.lastModifiedTime().toMillis();
                if (before != null && before.size() == size && before.modifiedMillis() == mtime) {
                    unchanged.add(file);
                    continue;
                }
                SourceDocument described = new SourceDocument(id, "", "", Sha256.of(file), size, mtime);
                facts.put(file, described);
                String from = goneByHash.get(described.contentHash());
                if (before != null && before.contentHash().equals(described.contentHash())) {
                    unchanged.add(file);
                    touched.add(file);
                } else if (before == null && from != null && !movedFrom.contains(from)) {
                    movedFrom.add(from);
                    moved.add(new IngestPlan.Move(from, file));
                } else if (before == null) {
                    added.add(file);
                } else {
                    updated.add(file);
                }
            } catch (IOException | UncheckedIOException e) {
                skipped.add(new SourceWalker.Skipped(file, SourceWalker.readProblem(e)));
            }
        }
        List<String> deleted =
                prune ? gone.stream().filter(id -> !movedFrom.contains(id)).toList() : List.of();
        IngestPlan plan = new IngestPlan(added, updated, moved, deleted, unchanged, skipped, selection.ignored());
        return new Planned(plan, facts, known, embeddedIds, touched);
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
}
