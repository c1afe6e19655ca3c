package dev.localrag.core.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SearchRequest;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.testing.HashingEmbedder;
import dev.localrag.core.testing.LongestFirstReranker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RerankingRetrieverTest {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(64);

    @TempDir
    Path dir;

    @Test
    void aRerankingRetrieverHandsTheRerankerItsCandidatesAndKeepsTheBestK() {
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, IndexManifest.of(EMBEDDER.spec(), 64, "test"))) {
            // given ten chunks mentioning "port", the longest one the weakest keyword match
            for (int i = 0; i < 9; i++) {
                add(index, "/d" + i, "port " + i);
            }
            add(index, "/long", "a long passage that mentions the port only once among many other words here");
            index.commit();
            LongestFirstReranker reranker = new LongestFirstReranker();
            Retriever retriever = new Retriever(index, EMBEDDER).reranking(reranker, 10);

            // when retrieving 2 through the reranker, by both entry points
            List<SearchHit> viaRequest = retriever.retrieve(
                    "port", SearchRequest.builder().mode(SearchMode.KEYWORD).k(2));
            Retrieval scored = retriever.retrieveScored("port", SearchMode.HYBRID, 2);

            // then the reranker saw all 10 candidates and its favourite comes first, with its score
            assertThat(reranker.batchSizes).containsExactly(10, 10);
            assertThat(viaRequest).hasSize(2);
            assertThat(viaRequest.getFirst().documentId()).isEqualTo("/long");
            assertThat(viaRequest.getFirst().score())
                    .isEqualTo(viaRequest.getFirst().text().length());
            assertThat(scored.hits().getFirst().documentId()).isEqualTo("/long");
            assertThat(new Retriever(index, EMBEDDER)
                            .retrieve(
                                    "port",
                                    SearchRequest.builder()
                                            .mode(SearchMode.KEYWORD)
                                            .k(2))
                            .getFirst()
                            .documentId())
                    .isNotEqualTo("/long");
        }
    }

    private static void add(LuceneVectorIndex index, String id, String text) {
        index.replaceDocument(
                new SourceDocument(id, "", "text/plain", "hash", text.length(), 0),
                List.of(new ChunkRecord(0, text, EMBEDDER.vector(text))));
    }
}
