package dev.localrag.core.chunk;

import java.util.List;

/** Cuts a document's text into chunks small enough to embed. */
public interface Chunker {

    /** Chunks in document order; empty for blank text. */
    List<String> split(String text);

    /**
     * Chunks in document order with their position; empty for blank text. Chunkers that know the
     * document's structure put {@code root} (the document's title, else its file name: {@link
     * Breadcrumb#rootFor}) at the root of each chunk's breadcrumb.
     */
    default List<Chunk> chunk(String root, String text) {
        return split(text).stream().map(Chunk::of).toList();
    }

    /** A short description stored in the index manifest, e.g. {@code recursive:400/50}. */
    String describe();
}
