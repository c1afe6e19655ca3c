package dev.localrag.ingest;

import java.nio.file.Path;

/** Hears about progress while an ingest runs. */
public interface IngestListener {

    IngestListener NONE = new IngestListener() {};

    /** A file was indexed with {@code chunks} chunks. */
    default void indexed(Path file, int chunks) {}

    /** A file's content is already in the index. */
    default void unchanged(Path file) {}

    /** A file was skipped. */
    default void failed(Path file, String reason) {}
}
