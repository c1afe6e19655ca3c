package dev.localrag.ingest;

import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Lists the files to ingest under some paths, in a stable order:
 *
 * <ul>
 *   <li>hidden files and folders (names starting with a dot) below a root are skipped unless asked;
 *   <li>{@code .ragignore} files (gitignore syntax, nested files apply to their folder) and exclude
 *       globs drop files and whole folders; when include globs are given a file must match one;
 *   <li>a glob without {@code /} matches file names at any depth ({@code *.md}), one with {@code /}
 *       matches the path relative to the root ({@code docs/**}&#47;*.md);
 *   <li>symbolic links are never followed: one that points outside the root is reported, one that
 *       points inside is skipped because its target is ingested anyway;
 *   <li>files larger than the maximum size are reported and skipped.
 * </ul>
 *
 * Paths given explicitly as files are always taken (if not too large).
 */
public final class SourceWalker {

    /** The name of the ignore files read in every folder. */
    public static final String IGNORE_FILE = ".ragignore";

    /**
     * What to take.
     *
     * @param include globs a file must match one of (none: every file)
     * @param exclude globs that drop files and folders
     * @param hidden whether hidden files and folders are taken
     * @param maxFileSize largest file in bytes
     */
    public record Rules(List<String> include, List<String> exclude, boolean hidden, long maxFileSize) {

        public static final long DEFAULT_MAX_FILE_SIZE = 100L * 1024 * 1024;
        public static final Rules DEFAULT = new Rules(List.of(), List.of(), false, DEFAULT_MAX_FILE_SIZE);

        public Rules {
            include = List.copyOf(Checks.notNull(include, "include"));
            exclude = List.copyOf(Checks.notNull(exclude, "exclude"));
            if (maxFileSize <= 0) {
                throw new ConfigurationException("max file size must be > 0 bytes, but was " + maxFileSize);
            }
        }
    }

    /** A file that was found but will not be ingested, and why. */
    public record Skipped(Path file, String reason) {}

    /**
     * The result of a walk.
     *
     * @param files the files to ingest, sorted
     * @param skipped files found but not taken (too large, links leaving the root, unreadable)
     * @param folders the roots that are folders: documents under them that are no longer listed can be pruned
     * @param ignored files and folders left out by hidden/ignore/glob rules
     */
    public record Selection(List<Path> files, List<Skipped> skipped, List<Path> folders, int ignored) {}

    private final Rules rules;
    private final List<PathMatcher> includes;
    private final List<PathMatcher> includesByName;
    private final List<PathMatcher> excludes;
    private final List<PathMatcher> excludesByName;

    public SourceWalker() {
        this(Rules.DEFAULT);
    }

    public SourceWalker(Rules rules) {
        this.rules = Checks.notNull(rules, "rules");
        this.includes = matchers(rules.include(), true, "--include");
        this.includesByName = matchers(rules.include(), false, "--include");
        this.excludes = matchers(rules.exclude(), true, "--exclude");
        this.excludesByName = matchers(rules.exclude(), false, "--exclude");
    }

    /** The files under {@code roots}, as plain paths (kept for callers that need only the list). */
    public List<Path> walk(List<Path> roots) {
        return select(roots).files();
    }

    /**
     * Checks that every root exists, cheaply (no walk): callers check before loading models.
     *
     * @throws ConfigurationException naming the first path that does not exist
     */
    public static void requireExisting(List<Path> roots) {
        Checks.notEmpty(roots, "paths");
        for (Path root : roots) {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigurationException("Path " + root + " does not exist. Give a file or folder to ingest.");
            }
        }
    }

    /**
     * @throws ConfigurationException naming the first path that does not exist, before any work
     */
    public Selection select(List<Path> roots) {
        requireExisting(roots);
        TreeSet<Path> files = new TreeSet<>();
        TreeMap<Path, String> skipped = new TreeMap<>();
        List<Path> folders = new ArrayList<>();
        int[] ignored = {0};
        for (Path root : roots) {
            Path canonical = canonical(root);
            if (Files.isDirectory(canonical)) {
                folders.add(canonical);
                walkFolder(canonical, files, skipped, ignored);
            } else if (Files.isRegularFile(canonical)) {
                takeIfSmall(canonical, size(canonical), files, skipped);
            } else {
                skipped.put(canonical, "not a regular file");
            }
        }
        List<Skipped> skippedList = new ArrayList<>();
        skipped.forEach((file, reason) -> skippedList.add(new Skipped(file, reason)));
        return new Selection(new ArrayList<>(files), skippedList, List.copyOf(folders), ignored[0]);
    }

    private void walkFolder(Path root, TreeSet<Path> files, Map<Path, String> skipped, int[] ignored) {
        Map<Path, IgnoreNode> ignoreFiles = new HashMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root)) {
                        if ((!rules.hidden() && hidden(dir))
                                || excluded(root, dir, true, ignoreFiles)
                                || isLuceneIndex(dir)) {
                            ignored[0]++;
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                    }
                    Path ignoreFile = dir.resolve(IGNORE_FILE);
                    if (Files.isRegularFile(ignoreFile, LinkOption.NOFOLLOW_LINKS)) {
                        IgnoreNode node = new IgnoreNode();
                        try (InputStream in = Files.newInputStream(ignoreFile)) {
                            node.parse(in);
                        }
                        ignoreFiles.put(dir, node);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (file.getFileName().toString().equals(IGNORE_FILE)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if ((!rules.hidden() && hidden(file))
                            || excluded(root, file, false, ignoreFiles)
                            || isIndexAuditLog(file)) {
                        ignored[0]++;
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isSymbolicLink()) {
                        link(root, file, skipped);
                    } else if (attrs.isRegularFile()) {
                        if (included(root, file)) {
                            takeIfSmall(file, attrs.size(), files, skipped);
                        } else {
                            ignored[0]++;
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    skipped.put(file, readProblem(e));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot walk " + root + ": " + e.getMessage(), e);
        }
    }

    private void link(Path root, Path link, Map<Path, String> skipped) {
        Path target;
        try {
            target = link.toRealPath();
        } catch (IOException e) {
            skipped.put(link, "broken symbolic link");
            return;
        }
        if (!target.startsWith(root)) {
            skipped.put(link, "symbolic link to " + target + ", outside " + root + "; not followed");
        }
        // a link to something inside the root: its target is walked anyway
    }

    private void takeIfSmall(Path file, long size, TreeSet<Path> files, Map<Path, String> skipped) {
        if (size > rules.maxFileSize()) {
            skipped.put(
                    file,
                    "too large (" + size + " bytes > --max-file-size " + rules.maxFileSize()
                            + "); raise the limit to index it");
        } else {
            files.add(file);
        }
    }

    private boolean included(Path root, Path file) {
        if (includes.isEmpty()) {
            return true;
        }
        Path relative = root.relativize(file);
        return matches(includes, includesByName, rules.include(), relative);
    }

    private boolean excluded(Path root, Path path, boolean directory, Map<Path, IgnoreNode> ignoreFiles) {
        Path relative = root.relativize(path);
        if (!excludes.isEmpty() && matches(excludes, excludesByName, rules.exclude(), relative)) {
            return true;
        }
        // deepest .ragignore first; the first that has an opinion decides (as git does)
        for (Path dir = path.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
            IgnoreNode node = ignoreFiles.get(dir);
            if (node != null) {
                Boolean result = node.checkIgnored(slashes(dir.relativize(path)), directory);
                if (result != null) {
                    return result;
                }
            }
        }
        return false;
    }

    private static boolean matches(
            List<PathMatcher> byPath, List<PathMatcher> byName, List<String> globs, Path relative) {
        Path name = relative.getFileName();
        for (int i = 0; i < globs.size(); i++) {
            boolean hasSlash = globs.get(i).contains("/");
            if (hasSlash
                    ? byPath.get(i).matches(relative)
                    : name != null && byName.get(i).matches(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<PathMatcher> matchers(List<String> globs, boolean byPath, String option) {
        List<PathMatcher> out = new ArrayList<>();
        for (String glob : globs) {
            try {
                out.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            } catch (IllegalArgumentException e) { // PatternSyntaxException included
                throw new ConfigurationException(option + " '" + glob + "' is not a valid glob: " + e.getMessage());
            }
        }
        return out;
    }

    private static String slashes(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    /**
     * A folder holding a Lucene index (its lock file): an index inside an ingested folder is never
     * read as documents.
     */
    static boolean isLuceneIndex(Path dir) {
        return Files.exists(dir.resolve("write.lock"), LinkOption.NOFOLLOW_LINKS);
    }

    private static final java.util.regex.Pattern AUDIT_LOG =
            java.util.regex.Pattern.compile("(.+)-audit\\.jsonl(\\.\\d+)?");

    /** An index's audit log ({@code <index>-audit.jsonl}, or a rotated one) beside that index. */
    static boolean isIndexAuditLog(Path file) {
        java.util.regex.Matcher m = AUDIT_LOG.matcher(file.getFileName().toString());
        return m.matches() && isLuceneIndex(file.resolveSibling(m.group(1)));
    }

    /** Why a file could not be read, in plain words ("permission denied" for an access problem). */
    static String readProblem(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.AccessDeniedException) {
                return "permission denied";
            }
            if (t instanceof java.nio.file.NoSuchFileException) {
                return "no such file (it was removed during the ingest)";
            }
        }
        return "cannot read: " + e.getMessage();
    }

    private static boolean hidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path canonical(Path path) {
        try {
            return path.toRealPath().toAbsolutePath().normalize();
        } catch (IOException | InvalidPathException e) {
            throw new ConfigurationException("Cannot resolve " + path + ": " + e.getMessage());
        }
    }
}
