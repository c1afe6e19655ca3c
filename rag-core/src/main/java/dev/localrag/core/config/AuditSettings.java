package dev.localrag.core.config;

import dev.localrag.core.Checks;
import java.nio.file.Path;

/**
 * Where writes to an index are recorded: one JSON line per ingest, upload, delete or new
 * collection (config {@code audit.log}, {@code audit.maxBytes}, {@code audit.keep}).
 *
 * @param log the audit log file; null means {@code <index>-audit.jsonl} beside the index folder
 * @param maxBytes size at which the log is rotated to {@code .1} (older ones shift up), at least 4096
 * @param keep rotated files kept, 0..100
 */
public record AuditSettings(Path log, long maxBytes, int keep) {

    public static final AuditSettings DEFAULT = new AuditSettings(null, 10L * 1024 * 1024, 5);

    public AuditSettings {
        if (maxBytes < 4096) {
            throw new IllegalArgumentException("audit.maxBytes must be at least 4096, but was " + maxBytes);
        }
        Checks.between(keep, 0, 100, "audit.keep");
    }

    /** The log file for the index in {@code indexDir}. */
    public Path file(Path indexDir) {
        if (log != null) {
            return log;
        }
        Path dir = indexDir.toAbsolutePath().normalize();
        return dir.resolveSibling(dir.getFileName() + "-audit.jsonl");
    }
}
