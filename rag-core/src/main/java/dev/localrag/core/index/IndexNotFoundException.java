package dev.localrag.core.index;

import dev.localrag.core.ConfigurationException;
import java.nio.file.Path;

/** There is no LocalRAG index where one was expected. */
public class IndexNotFoundException extends ConfigurationException {

    public IndexNotFoundException(Path dir) {
        this(dir.toString());
    }

    /** No index at {@code location}: a folder or an {@code opensearch://} URL. */
    public IndexNotFoundException(String location) {
        super("No index at " + location + ". Build one first: rag ingest FOLDER" + " (add --index " + location
                + " if that is not your default index).");
    }
}
