package dev.localrag.core.index;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.store.embedding.filter.Filter;
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
    void filtersOnBuiltInAndExtraMetadataApplyInEveryMode() {
        // given a markdown and a PDF document about the same thing, in different teams
        index.replaceDocument(
                doc("/docs/a.md", "Ports", "text/markdown", Map.of("team", "infra", "year", 2024)),
                chunks("ollama listens on port 11434"));
        index.replaceDocument(
                doc("/docs/b.pdf", "Ports again", "application/pdf", Map.of("team", "apps", "year", 2025)),
                chunks("ollama listens on port 11434 too"));
        index.commit();

        for (SearchMode mode : SearchMode.values()) {
            // when filtering on the MIME type, an extra string, a number range, and a combination
            assertThat(ids(request(mode, "ollama port")
                            .filter(metadataKey("mime_type").isEqualTo("application/pdf"))))
                    .as(mode.toString())
                    .containsExactly("/docs/b.pdf");
            assertThat(ids(request(mode, "ollama port")
                            .filter(metadataKey("team").isEqualTo("infra"))))
                    .as(mode.toString())
                    .containsExactly("/docs/a.md");
            assertThat(ids(request(mode, "ollama port")
                            .filter(metadataKey("year").isGreaterThan(2024L))))
                    .as(mode.toString())
                    .containsExactly("/docs/b.pdf");
            assertThat(ids(request(mode, "ollama port")
                            .filter(metadataKey("path")
                                    .isIn("/docs/a.md", "/docs/b.pdf")
                                    .and(metadataKey("title").isNotEqualTo("Ports")))))
                    .as(mode.toString())
                    .containsExactly("/docs/b.pdf");
            // then only matching chunks come back
        }
    }

    @Test
    void aVerySelectiveFilterStillReturnsTheFullKFromInsideTheKnnSearch() {
        // given 2000 chunks of which 7 belong to the wanted tenant, none of them near the query
        float[][] vectors = RandomVectors.unitVectors(2000, 64, 42);
        for (int i = 0; i < vectors.length; i++) {
            String tenant = i % 300 == 7 ? "wanted" : "other";
            index.replaceDocument(
                    doc("/d/" + i, "", "text/plain", Map.of("tenant", tenant)),
                    List.of(new ChunkRecord(0, "chunk " + i, vectors[i])));
        }
        index.commit();
        float[] query = vectors[0]; // an "other" chunk: post-filtering the top k would find nothing

        // when searching for 5 nearest with the filter
        List<SearchHit> hits = index.search(SearchRequest.builder()
                .mode(SearchMode.VECTOR)
                .vector(query)
                .k(5)
                .filter(metadataKey("tenant").isEqualTo("wanted"))
                .build());

        // then all 5 are matching chunks, and they are the exact 5 nearest matching ones
        assertThat(hits).hasSize(5).allSatisfy(h -> assertThat(h.metadata()).containsEntry("tenant", "wanted"));
        List<String> expected = new ArrayList<>();
        float[][] wanted = new float[7][];
        int[] ids = new int[7];
        for (int i = 0, w = 0; i < vectors.length; i++) {
            if (i % 300 == 7) {
                wanted[w] = vectors[i];
                ids[w++] = i;
            }
        }
        for (int i : RandomVectors.exactTopK(wanted, query, 5)) {
            expected.add("/d/" + ids[i]);
        }
        assertThat(hits).extracting(SearchHit::documentId).containsExactlyElementsOf(expected);
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

    @Test
    void anUnsupportedFilterIsAnErrorNeverIgnored() {
        index.replaceDocument(doc("/a.md", "", "text/plain", Map.of()), chunks("text"));
        index.commit();
        Filter custom = object -> true;

        assertThatThrownBy(() -> index.search(
                        request(SearchMode.VECTOR, "text").filter(custom).build()))
                .isInstanceOf(UnsupportedFilterException.class)
                .hasMessageContaining("Unsupported metadata filter");
        assertThatThrownBy(() -> index.deleteMatching(custom)).isInstanceOf(UnsupportedFilterException.class);
        assertThat(index.stats()).isEqualTo(new IndexStats(1, 1));
    }

    @Test
    void deleteMatchingRemovesWholeDocumentsAndDocumentsKeepTheirMetadata() {
        index.replaceDocument(doc("/a.md", "A", "text/markdown", Map.of("lang", "en")), chunks("one", "two"));
        index.replaceDocument(doc("/b.md", "B", "text/markdown", Map.of("lang", "zh")), chunks("three"));
        index.commit();
        assertThat(index.documents().get("/a.md").metadata()).containsEntry("lang", "en");

        int removed = index.deleteMatching(metadataKey("lang").isEqualTo("en"));
        index.commit();

        assertThat(removed).isEqualTo(1);
        assertThat(index.stats()).isEqualTo(new IndexStats(1, 1));
        assertThat(index.documents()).containsOnlyKeys("/b.md");
    }

    private SearchRequest.Builder request(SearchMode mode, String text) {
        return SearchRequest.builder()
                .mode(mode)
                .text(text)
                .vector(EMBEDDER.embedQuery(text))
                .k(10);
    }

    private List<String> ids(SearchRequest.Builder request) {
        return index.search(request.build()).stream()
                .map(SearchHit::documentId)
                .distinct()
                .toList();
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
