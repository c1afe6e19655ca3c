package dev.localrag.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Confines ingest paths to the allowed roots. A path is resolved (relative ones against the first
 * root), normalised, and its real path (symbolic links followed) must lie under a root's real
 * path: {@code ../}, links and absolute paths that lead outside are refused.
 */
final class PathGuard {

    private final List<Path> roots;

    PathGuard(List<Path> roots) {
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            try {
                real.add(root.toRealPath());
            } catch (IOException e) {
                throw new dev.localrag.core.ConfigurationException(
                        "Allowed ingest root " + root + " does not exist or cannot be read: " + e.getMessage());
            }
        }
        this.roots = List.copyOf(real);
    }

    List<Path> roots() {
        return roots;
    }

    /** The canonical path, or an {@link ApiException} saying why it is refused. */
    Path check(String requested) {
        if (roots.isEmpty()) {
            throw new ApiException(
                    403,
                    "ingest_disabled",
                    "Ingesting server paths is off: start the server with --allow-root DIR to allow folders.");
        }
        if (requested == null || requested.isBlank() || requested.indexOf('\0') >= 0) {
            throw ApiException.badRequest("Field \"path\" is required and must be a path.");
        }
        Path path;
        try {
            Path given = Path.of(requested);
            path = (given.isAbsolute() ? given : roots.getFirst().resolve(given)).normalize();
        } catch (InvalidPathException e) {
            throw ApiException.badRequest("Field \"path\" is not a valid path: " + e.getMessage());
        }
        if (!under(path)) {
            throw outside(requested);
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw ApiException.notFound("path_not_found", "Path " + requested + " does not exist.");
        }
        if (!under(real)) {
            throw outside(requested); // a symbolic link out of the roots
        }
        if (!Files.isReadable(real)) {
            throw new ApiException(403, "path_not_allowed", "Path " + requested + " cannot be read by the server.");
        }
        return real;
    }

    private boolean under(Path path) {
        return roots.stream().anyMatch(path::startsWith);
    }

    private ApiException outside(String requested) {
        return new ApiException(
                403,
                "path_not_allowed",
                "Path " + requested + " is outside the allowed ingest roots " + roots
                        + " (after resolving '..' and symbolic links).");
    }
}
