package dev.localrag.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.Checks;
import dev.localrag.core.LocalRagException;
import dev.localrag.core.config.AuditSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log of one index: each write (an ingest, an upload, a document deleted, a collection
 * created) appends one JSON line {@code {time, actor, client, action, collection, index, paths,
 * outcome, counts}}. Actors are named without secrets (an API key by its fingerprint, the CLI by
 * its OS user). The file is rotated by size ({@code .1} is the newest old one).
 *
 * <p>A change that cannot be recorded is refused: writers call {@link #checkWritable()} before
 * they change the index, and {@link #append} after.
 */
public final class AuditLog {

    /** One write. {@code paths} are the files or folders affected; {@code counts} e.g. files indexed. */
    public record Entry(
            String actor,
            String client,
            String action,
            String collection,
            String index,
            List<String> paths,
            String outcome,
            Map<String, Object> counts) {
        public Entry {
            Checks.notBlank(actor, "actor");
            Checks.notBlank(action, "action");
            Checks.notBlank(outcome, "outcome");
            paths = List.copyOf(paths);
            counts = Map.copyOf(counts);
        }
    }

    /** The audit log cannot be written: the change it would record is refused. */
    public static final class UnavailableException extends LocalRagException {
        UnavailableException(Path file, IOException e) {
            super(
                    message(
                            file,
                            e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()),
                    e);
        }

        UnavailableException(Path file, String reason) {
            super(message(file, reason));
        }

        private static String message(Path file, String reason) {
            return "Cannot write the audit log " + file + " (" + reason + "); the change is refused so that no"
                    + " write goes unrecorded. Fix the file or set audit.log in the config.";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final AuditSettings settings;

    public AuditLog(Path file, AuditSettings settings) {
        this.file = Checks.notNull(file, "file").toAbsolutePath().normalize();
        this.settings = Checks.notNull(settings, "settings");
    }

    public Path file() {
        return file;
    }

    /**
     * Checks the log can be appended to, without writing anything: the file is a writable regular
     * file, or its nearest existing folder is writable.
     *
     * @throws UnavailableException when it cannot: refuse the change
     */
    public void checkWritable() {
        if (Files.exists(file)) {
            if (!Files.isRegularFile(file)) {
                throw new UnavailableException(file, "it is not a regular file");
            }
            if (!Files.isWritable(file)) {
                throw new UnavailableException(file, "permission denied");
            }
            return;
        }
        Path dir = file.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UnavailableException(file, "its folder cannot be created");
        }
        if (!Files.isWritable(dir)) {
            throw new UnavailableException(file, "permission denied on " + dir);
        }
    }

    /**
     * Appends {@code entry} as one line, rotating first when the file would pass {@code
     * maxBytes}.
     *
     * @throws UnavailableException when the line cannot be written
     */
    public synchronized void append(Entry entry) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("actor", entry.actor());
        line.put("client", entry.client());
        line.put("action", entry.action());
        line.put("collection", entry.collection());
        line.put("index", entry.index());
        line.put("paths", entry.paths());
        line.put("outcome", entry.outcome());
        line.put("counts", new java.util.TreeMap<>(entry.counts()));
        try {
            byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.createDirectories(file.getParent());
            if (Files.exists(file) && Files.size(file) + bytes.length > settings.maxBytes()) {
                rotate();
            }
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UnavailableException(file, e);
        }
    }

    private void rotate() throws IOException {
        if (settings.keep() == 0) {
            Files.delete(file);
            return;
        }
        Files.deleteIfExists(rotated(settings.keep()));
        for (int i = settings.keep() - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** The counts of an ingest, as audit lines give them. */
    public static Map<String, Object> counts(dev.localrag.ingest.IngestReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filesSeen", r.filesSeen());
        m.put("filesIndexed", r.filesIndexed());
        m.put("filesUnchanged", r.filesUnchanged());
        m.put("filesFailed", r.failures().size());
        m.put("added", r.added());
        m.put("updated", r.updated());
        m.put("moved", r.moved());
        m.put("deleted", r.deleted());
        m.put("chunks", r.chunks());
        return m;
    }

    /** The actor of a command run by this OS user, e.g. {@code os:alice}. */
    public static String osUser() {
        return "os:" + System.getProperty("user.name", "unknown");
    }

    /** The actor of an API key: a fingerprint that names the key without revealing it. */
    public static String keyFingerprint(String key) {
        try {
            byte[] digest =
                    java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "key:" + java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
