package dev.localrag.ingest;

import java.nio.file.Path;

/** Extracts text from a file. */
public interface DocumentParser {

    /**
     * @throws ParseFailedException when the file cannot be parsed; the message says why
     */
    ParsedDocument parse(Path file);
}
