package dev.localrag.ingest;

import java.nio.file.Path;

/** Extracts text from a file. Implementations are safe to call from several threads at once. */
public interface DocumentParser {

    /**
     * @throws ParseFailedException when the file cannot be parsed; the message says why
     */
    ParsedFile parse(Path file);
}
