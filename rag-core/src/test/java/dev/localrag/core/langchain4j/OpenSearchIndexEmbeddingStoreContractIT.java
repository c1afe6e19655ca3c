package dev.localrag.core.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import dev.localrag.core.testing.HashingEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * LangChain4j's embedding-store contract, as in {@link IndexEmbeddingStoreContractIT}, against an
 * {@link IndexEmbeddingStore} on a real 3-node OpenSearch cluster: every filter is translated to
 * OpenSearch query DSL there. Skipped when the cluster cannot start.
 */
class OpenSearchIndexEmbeddingStoreContractIT extends EmbeddingStoreWithFilteringIT {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(128);
    private static final EmbeddingModel MODEL = new HashingEmbeddingModel(EMBEDDER);

    // one index for the class, emptied before each test by the contract's own clearStore()
    private static OpenSearchTestStore os;

    @BeforeAll
    static void openIndex() {
        os = OpenSearchTestStore.open("lc4j-contract", EMBEDDER);
    }

    @AfterAll
    static void dropIndex() {
        if (os != null) {
            os.close();
        }
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return os.store();
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return MODEL;
    }

    /**
     * {@code ContainsString} is supported (a wildcard query on the keyword field, case-sensitive like LangChain4j's own
     * test), so the contract's {@code should_throw_exception_when_contains_is_not_supported} case is
     * skipped by its own {@code @DisabledIf("supportsContains")}: the one skipped case.
     */
    @Override
    protected boolean supportsContains() {
        return true;
    }

    @Override
    protected void clearStore() {
        os.store().removeAll();
    }
}
