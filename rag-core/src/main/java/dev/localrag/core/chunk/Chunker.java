package dev.localrag.core.chunk;

import java.util.List;

/** Cuts a document's text into chunks small enough to embed. */
public interface Chunker {

    /** Chunks in document order; empty for blank text. */
    List<String> split(String text);

    /** A short description stored in the index manifest, e.g. {@code recursive:400/50}. */
    String describe();
}
