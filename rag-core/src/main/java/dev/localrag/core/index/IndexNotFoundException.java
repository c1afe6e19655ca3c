package dev.localrag.core.index;

import dev.localrag.core.ConfigurationException;
import java.nio.file.Path;

/** There is no LocalRAG index where one was expected. */
public class IndexNotFoundException extends ConfigurationException {

    public IndexNotFoundException(Path dir) {
        super("No index at " + dir + ". Build one first: rag ingest FOLDER" + " (add --index " + dir
                + " if that is not your default index).");
    }
}
