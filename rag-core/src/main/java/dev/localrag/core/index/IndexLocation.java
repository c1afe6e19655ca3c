package dev.localrag.core.index;

import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where an index lives: a local folder ({@link Folder}, a {@link LuceneVectorIndex}) or an index on
 * an OpenSearch cluster ({@link OpenSearchLocation}, an {@link OpenSearchVectorIndex}). Given as
 * text in {@code --index}, the config file's {@code index.path} and {@code $LOCALRAG_INDEX}.
 */
public sealed interface IndexLocation permits IndexLocation.Folder, OpenSearchLocation {

    /**
     * Reads {@code opensearch://HOST:PORT[,HOST:PORT...]/NAME} (or {@code opensearch+https://...})
     * as an OpenSearch index, anything else as a folder (relative to the working directory).
     *
     * @throws ConfigurationException for an empty value, a malformed OpenSearch URL or another URI
     */
    static IndexLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigurationException("the index location is empty: give a folder such as ~/rag-index or"
                    + " opensearch://HOST:PORT/NAME.");
        }
        String t = text.strip();
        if (OpenSearchLocation.isUrl(t)) {
            return OpenSearchLocation.parse(t);
        }
        if (t.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new ConfigurationException(t + " is a URI, which is not supported: give a folder (such as ./index)"
                    + " or an OpenSearch index (opensearch://HOST:PORT/NAME).");
        }
        try {
            return new Folder(Path.of(t));
        } catch (InvalidPathException e) {
            throw new ConfigurationException(t + " is not a usable path: " + e.getReason() + ".");
        }
    }

    /** The folder of a local index. */
    static Folder folder(Path dir) {
        return new Folder(dir);
    }

    /** A local index's folder. */
    record Folder(Path dir) implements IndexLocation {
        public Folder {
            Checks.notNull(dir, "dir");
        }

        /** The folder made absolute and normalised. */
        public Folder absolute() {
            return new Folder(dir.toAbsolutePath().normalize());
        }

        @Override
        public String toString() {
            return dir.toString();
        }
    }
}
