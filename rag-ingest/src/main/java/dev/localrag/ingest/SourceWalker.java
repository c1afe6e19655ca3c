package dev.localrag.ingest;

import dev.localrag.core.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Lists the files to ingest under some paths: regular files, in a stable order, skipping hidden
 * files and folders (names starting with a dot) below a root and never following symbolic links.
 */
public final class SourceWalker {

    /**
     * @throws ConfigurationException naming the first path that does not exist, before any work
     */
    public List<Path> walk(List<Path> roots) {
        for (Path root : roots) {
            if (!Files.exists(root)) {
                throw new ConfigurationException("Path " + root + " does not exist. Give a file or folder to ingest.");
            }
        }
        TreeSet<Path> files = new TreeSet<>();
        for (Path root : roots) {
            Path canonical = canonical(root);
            if (Files.isRegularFile(canonical)) {
                files.add(canonical);
            } else {
                walkFolder(canonical, files);
            }
        }
        return new ArrayList<>(files);
    }

    private static void walkFolder(Path root, TreeSet<Path> files) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !hidden(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot walk " + root + ": " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static Path canonical(Path path) {
        try {
            return path.toRealPath(LinkOption.NOFOLLOW_LINKS).toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resolve " + path + ": " + e.getMessage(), e);
        }
    }
}
