package dev.localrag.core.index;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link VectorIndex} contract on the local Lucene backend. */
class LuceneVectorIndexContractTest extends VectorIndexContract {

    @TempDir
    Path dir;

    @Override
    protected VectorIndex open(IndexManifest manifest) {
        return LuceneVectorIndex.open(dir, manifest);
    }
}
