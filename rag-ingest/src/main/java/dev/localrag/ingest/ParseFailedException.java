package dev.localrag.ingest;

import dev.localrag.core.LocalRagException;

/** A file could not be turned into text. */
public class ParseFailedException extends LocalRagException {

    public ParseFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
