package dev.localrag.core.index;

import dev.localrag.core.Checks;
import java.util.Objects;

/**
 * One chunk of a source document, ready to index.
 *
 * @param ordinal position of the chunk in its document, from 0
 * @param text the chunk's text
 * @param vector unit-length embedding of the chunk
 */
public record ChunkRecord(int ordinal, String text, float[] vector) {

    public ChunkRecord {
        Checks.notNull(text, "text");
        Checks.notNull(vector, "vector");
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must be >= 0, but was " + ordinal);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkRecord c
                && c.ordinal == ordinal
                && c.text.equals(text)
                && java.util.Arrays.equals(c.vector, vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ordinal, text, java.util.Arrays.hashCode(vector));
    }

    @Override
    public String toString() {
        return "ChunkRecord[ordinal=" + ordinal + ", text=" + text.length() + " chars, dim=" + vector.length + "]";
    }
}
