package dev.localrag.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.testing.HashingEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalOptionsTest {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(64);

    @TempDir
    Path dir;

    private LuceneVectorIndex index;

    @BeforeEach
    void openIndex() {
        index = LuceneVectorIndex.open(dir, IndexManifest.of(EMBEDDER.spec(), 64, "test"));
    }

    @AfterEach
    void closeIndex() {
        index.close();
    }

    @Test
    void aPathPrefixFilterKeepsOneFolderInsideTheKnnSearch() {
        // given 2000 chunks, 7 of them under /team/, none near the query
        float[][] vectors = RandomVectors.unitVectors(2000, 64, 43);
        for (int i = 0; i < vectors.length; i++) {
            String folder = i % 300 == 7 ? "/team/" : "/other/";
            index.replaceDocument(
                    doc(folder + i, "", "text/plain", Map.of()), List.of(new ChunkRecord(0, "chunk " + i, vectors[i])));
        }
        index.commit();

        // when searching for the 5 nearest under /team/ (and under a folder whose name merely contains it)
        List<SearchHit> hits = index.search(SearchRequest.builder()
                .mode(SearchMode.VECTOR)
                .vector(vectors[0])
                .k(5)
                .filter(new StartsWith("path", "/team/"))
                .build());
        List<SearchHit> none = index.search(SearchRequest.builder()
                .mode(SearchMode.VECTOR)
                .vector(vectors[0])
                .k(5)
                .filter(new StartsWith("path", "team/"))
                .build());

        // then the graph search itself kept to the folder: a full k of matching chunks, and a prefix is a prefix
        assertThat(hits).hasSize(5).allSatisfy(h -> assertThat(h.documentId()).startsWith("/team/"));
        assertThat(none).isEmpty();
        assertThatThrownBy(() -> new StartsWith("path", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix must not be empty");
    }

    @Test
    void minScoreAndPerDocumentCapShapeTheResult() {
        index.replaceDocument(
                doc("/long.md", "Long", "text/markdown", Map.of()),
                chunks("gpu memory one", "gpu memory two", "gpu memory three", "gpu memory four"));
        index.replaceDocument(doc("/short.md", "Short", "text/markdown", Map.of()), chunks("gpu memory five"));
        index.replaceDocument(doc("/other.md", "Other", "text/markdown", Map.of()), chunks("bananas are yellow"));
        index.commit();

        // when at most one chunk per document is allowed
        List<SearchHit> capped = index.search(request(SearchMode.KEYWORD, "gpu memory")
                .k(3)
                .maxChunksPerDocument(1)
                .build());
        // then each document appears once
        assertThat(capped).extracting(SearchHit::documentId).containsExactlyInAnyOrder("/long.md", "/short.md");

        // when a min-score is set, low scores are dropped
        List<SearchHit> all =
                index.search(request(SearchMode.VECTOR, "gpu memory").k(10).build());
        double threshold = all.get(4).score() + 1e-6;
        List<SearchHit> strong = index.search(request(SearchMode.VECTOR, "gpu memory")
                .k(10)
                .minScore(threshold)
                .build());
        assertThat(strong)
                .hasSizeLessThan(all.size())
                .allSatisfy(h -> assertThat(h.score()).isGreaterThanOrEqualTo(threshold));
        assertThat(all).extracting(SearchHit::documentId).contains("/other.md");
    }

    @Test
    void weightedFusionCanLeanOnEitherRanking() {
        // given one chunk that shares the query's words and one whose vector equals the query's
        String query = "alpha beta";
        index.replaceDocument(doc("/words.md", "", "text/plain", Map.of()), chunks("alpha beta gamma delta"));
        index.replaceDocument(
                doc("/vector.md", "", "text/plain", Map.of()),
                List.of(new ChunkRecord(0, "unrelated words entirely", EMBEDDER.vector(query))));
        index.commit();

        // when hybrid search weights only the vector side, then only the keyword side
        List<SearchHit> vectorOnly = index.search(request(SearchMode.HYBRID, query)
                .fusion(SearchRequest.Fusion.WEIGHTED)
                .vectorWeight(1.0)
                .build());
        List<SearchHit> keywordOnly = index.search(request(SearchMode.HYBRID, query)
                .fusion(SearchRequest.Fusion.WEIGHTED)
                .vectorWeight(0.0)
                .build());

        // then the favoured ranking decides the top hit, and scores are normalised to [0, 1]
        assertThat(vectorOnly.getFirst().documentId()).isEqualTo("/vector.md");
        assertThat(vectorOnly.getFirst().score()).isEqualTo(1.0);
        assertThat(keywordOnly.getFirst().documentId()).isEqualTo("/words.md");
        assertThat(keywordOnly.getFirst().score()).isEqualTo(1.0);
    }

    private SearchRequest.Builder request(SearchMode mode, String text) {
        return SearchRequest.builder()
                .mode(mode)
                .text(text)
                .vector(EMBEDDER.embedQuery(text))
                .k(10);
    }

    private static SourceDocument doc(String id, String title, String mime, Map<String, ?> metadata) {
        return new SourceDocument(id, title, mime, "hash", 10, 1000).withMetadata(metadata);
    }

    private static List<ChunkRecord> chunks(String... texts) {
        List<ChunkRecord> out = new ArrayList<>();
        for (String t : texts) {
            out.add(new ChunkRecord(out.size(), t, EMBEDDER.vector(t)));
        }
        return out;
    }
}
