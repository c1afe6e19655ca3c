package dev.localrag.core.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.testing.HashingEmbedder;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * LangChain4j's own embedding-store contract (add, search, min-score, scores, metadata round trip
 * of every type, and every filter: comparisons, in / not in, contains, and / or / not), run from
 * its published {@code langchain4j-core:tests} jar against {@link IndexEmbeddingStore}.
 */
class IndexEmbeddingStoreContractIT extends EmbeddingStoreWithFilteringIT {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(128);
    private static final EmbeddingModel MODEL = new HashingEmbeddingModel(EMBEDDER);

    @TempDir
    static Path tmp;

    // a fresh index per test (JUnit makes an instance per test), as LangChain4j's own tests use a fresh store;
    // opened on construction because the inherited @BeforeEach already uses the store
    private final LuceneVectorIndex index = LuceneVectorIndex.open(
            tmp.resolve(UUID.randomUUID().toString()), IndexManifest.of(EMBEDDER.spec(), EMBEDDER.dimension(), "none"));
    private final IndexEmbeddingStore store = new IndexEmbeddingStore(index);

    @AfterEach
    void closeIndex() {
        index.close();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return store;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return MODEL;
    }

    /**
     * {@code ContainsString} is supported (a Lucene WildcardQuery on the string field, case-sensitive like LangChain4j's own
     * test), so the contract's {@code should_throw_exception_when_contains_is_not_supported} case is
     * skipped by its own {@code @DisabledIf("supportsContains")}: the one skipped case.
     */
    @Override
    protected boolean supportsContains() {
        return true;
    }

    @Override
    protected void clearStore() {
        store.removeAll();
    }
}
