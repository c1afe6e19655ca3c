package dev.localrag.core.index;

import dev.localrag.core.Checks;
import dev.localrag.core.Internal;

/** Opens the index at an {@link IndexLocation}, whichever backend it names. */
@Internal
public final class VectorIndexes {

    private VectorIndexes() {}

    /** The manifest of the index at {@code location}, or null when there is none yet. */
    public static IndexManifest readManifest(IndexLocation location, OpenSearchSettings settings) {
        Checks.notNull(location, "location");
        return switch (location) {
            case IndexLocation.Folder f -> LuceneVectorIndex.readManifest(f.dir());
            case OpenSearchLocation o -> OpenSearchVectorIndex.readManifest(o, settings);
        };
    }

    /**
     * Opens the index at {@code location} for writing, creating it with {@code manifest} when absent.
     *
     * @throws IndexMismatchException when the existing index was built differently
     */
    public static VectorIndex open(IndexLocation location, OpenSearchSettings settings, IndexManifest manifest) {
        Checks.notNull(location, "location");
        return switch (location) {
            case IndexLocation.Folder f -> LuceneVectorIndex.open(f.dir(), manifest);
            case OpenSearchLocation o -> OpenSearchVectorIndex.open(o, settings, manifest);
        };
    }

    /**
     * Opens an existing index for searching only.
     *
     * @throws IndexNotFoundException when there is none at {@code location}
     */
    public static VectorIndex openReadOnly(IndexLocation location, OpenSearchSettings settings) {
        Checks.notNull(location, "location");
        return switch (location) {
            case IndexLocation.Folder f -> LuceneVectorIndex.openReadOnly(f.dir());
            case OpenSearchLocation o -> OpenSearchVectorIndex.openReadOnly(o, settings);
        };
    }
}
