package dev.localrag.ingest;

import java.nio.file.Path;

/**
 * Hears about progress while an ingest runs. Calls come one at a time (never concurrently), but
 * not always from the thread that started the ingest.
 */
public interface IngestListener {

    IngestListener NONE = new IngestListener() {};

    /** The plan is known; work starts. */
    default void planned(IngestPlan plan) {}

    /** A file was indexed with {@code chunks} chunks (all its documents together). */
    default void indexed(Path file, int chunks) {}

    /**
     * A parsed file has {@code chunks} chunk texts to embed (those not reused): with {@link
     * #embedded} it gives progress inside a large file.
     */
    default void toEmbed(Path file, int chunks) {}

    /** {@code chunks} chunk texts were embedded (the embedder's throughput). */
    default void embedded(int chunks) {}

    /** A file's content is already in the index. */
    default void unchanged(Path file) {}

    /** A file was skipped. */
    default void failed(Path file, String reason) {}

    /** Something in a file was left out, but the file was indexed (an encrypted attachment, say). */
    default void warning(Path file, String message) {}
}
