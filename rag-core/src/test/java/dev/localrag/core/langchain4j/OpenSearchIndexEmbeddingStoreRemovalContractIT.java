package dev.localrag.core.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import dev.localrag.core.testing.HashingEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * LangChain4j's removal contract (by id, by ids, by filter, all), as in {@link
 * IndexEmbeddingStoreRemovalContractIT}, against an {@link IndexEmbeddingStore} on a real 3-node
 * OpenSearch cluster. Skipped when the cluster cannot start.
 */
class OpenSearchIndexEmbeddingStoreRemovalContractIT extends EmbeddingStoreWithRemovalIT {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(128);
    private static final EmbeddingModel MODEL = new HashingEmbeddingModel(EMBEDDER);

    private static OpenSearchTestStore os;

    @BeforeAll
    static void openIndex() {
        os = OpenSearchTestStore.open("lc4j-removal", EMBEDDER);
    }

    @AfterAll
    static void dropIndex() {
        if (os != null) {
            os.close();
        }
    }

    /** One index for the class: each test starts empty, as with a fresh store (this contract has no clearStore). */
    @BeforeEach
    void emptyStore() {
        os.store().removeAll();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return os.store();
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return MODEL;
    }
}
