package dev.localrag.core.index;

import dev.localrag.core.ConfigurationException;

/** An existing index was built differently (embedder, dimension, format) from what was asked for. */
public class IndexMismatchException extends ConfigurationException {

    public IndexMismatchException(String message) {
        super(message);
    }
}
