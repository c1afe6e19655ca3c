package dev.localrag.core.index;

import dev.localrag.core.Checks;
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
     * @throws dev.localrag.core.ConfigurationException for a malformed OpenSearch URL
     */
    static IndexLocation parse(String text) {
        Checks.notBlank(text, "index location");
        String t = text.strip();
        if (OpenSearchLocation.isUrl(t)) {
            return OpenSearchLocation.parse(t);
        }
        return new Folder(Path.of(t));
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
