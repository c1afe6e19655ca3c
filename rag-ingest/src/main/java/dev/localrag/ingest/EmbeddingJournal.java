package dev.localrag.ingest;

import dev.localrag.core.LocalRagException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Vectors an ingest embedded, kept on disk as each batch finishes so that a run stopped part way
 * (Ctrl-C, a kill, a crash) loses none of them: the next run reads them back and embeds only the
 * rest. The index itself still receives each file whole, in one step; this file is only a cache, by
 * the same key as the run's cache (a hash of the embedder and the exact text embedded).
 *
 * <p>Append-only: a header, then one record per vector (32 key bytes, the dimension, the floats). A
 * record cut short by a kill is dropped when the journal is read, and cut off before the next
 * append. {@link #clear} deletes it when a run ends with every file written.
 */
final class EmbeddingJournal implements AutoCloseable {

    private static final int MAGIC = 0x4c524a31; // "LRJ1"
    private static final int KEY_BYTES = 32;
    private static final int MAX_DIMENSION = 65_536;

    private final Path file;
    private final Map<String, float[]> entries;
    private long validLength;
    private FileChannel channel; // opened on the first append

    private EmbeddingJournal(Path file, Map<String, float[]> entries, long validLength) {
        this.file = file;
        this.entries = entries;
        this.validLength = validLength;
    }

    /** Reads the journal at {@code file} (none yet: empty). */
    static EmbeddingJournal open(Path file) {
        Map<String, float[]> entries = new HashMap<>();
        if (!Files.exists(file)) {
            return new EmbeddingJournal(file, entries, 0);
        }
        long valid = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException torn) { // killed while the header was written
                return new EmbeddingJournal(file, entries, 0);
            }
            if (magic != MAGIC) {
                throw new LocalRagException("The ingest's embedding journal " + file
                        + " is not one (unknown header). Delete it; the next ingest embeds everything again.");
            }
            valid = Integer.BYTES;
            HexFormat hex = HexFormat.of();
            byte[] key = new byte[KEY_BYTES];
            while (true) {
                if (!readFully(in, key)) {
                    break;
                }
                int dimension;
                try {
                    dimension = in.readInt();
                } catch (EOFException torn) {
                    break;
                }
                if (dimension < 1 || dimension > MAX_DIMENSION) {
                    break; // a torn record: what follows is not trusted
                }
                byte[] raw = new byte[dimension * Float.BYTES];
                if (!readFully(in, raw)) {
                    break;
                }
                float[] vector = new float[dimension];
                ByteBuffer.wrap(raw)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(vector);
                entries.put(hex.formatHex(key), vector);
                valid += KEY_BYTES + Integer.BYTES + raw.length;
            }
        } catch (IOException e) {
            throw new LocalRagException(
                    "Cannot read the ingest's embedding journal " + file + ": " + e.getMessage(), e);
        }
        return new EmbeddingJournal(file, entries, valid);
    }

    private static boolean readFully(InputStream in, byte[] into) throws IOException {
        int n = in.readNBytes(into, 0, into.length);
        return n == into.length;
    }

    Path file() {
        return file;
    }

    /** The vectors stored by earlier runs, by cache key. */
    Map<String, float[]> entries() {
        return entries;
    }

    /** Stores a batch's vectors (keys are hex SHA-256 cache keys), written through to the file. */
    synchronized void append(List<String> keys, List<float[]> vectors) {
        int bytes = validLength == 0 ? Integer.BYTES : 0;
        for (float[] v : vectors) {
            bytes += KEY_BYTES + Integer.BYTES + v.length * Float.BYTES;
        }
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        if (validLength == 0) {
            buffer.putInt(MAGIC);
        }
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < keys.size(); i++) {
            float[] v = vectors.get(i);
            buffer.put(hex.parseHex(keys.get(i)));
            buffer.putInt(v.length);
            ByteBuffer floats = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            floats.asFloatBuffer().put(v);
            buffer.put(floats);
        }
        buffer.flip();
        try {
            if (channel == null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                channel.truncate(validLength); // drop a record a kill cut short
                channel.position(validLength);
            }
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            validLength += bytes;
        } catch (IOException e) {
            throw new LocalRagException(
                    "Cannot write the ingest's embedding journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the journal: every vector in it is in the index now (or no longer needed). */
    synchronized void clear() {
        close();
        try {
            Files.deleteIfExists(file);
            validLength = 0;
        } catch (IOException e) {
            throw new LocalRagException(
                    "Cannot delete the ingest's embedding journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new LocalRagException(
                        "Cannot close the ingest's embedding journal " + file + ": " + e.getMessage(), e);
            } finally {
                channel = null;
            }
        }
    }
}
