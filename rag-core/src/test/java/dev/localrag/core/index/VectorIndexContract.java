package dev.localrag.core.index;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.testing.HashingEmbedder;
import dev.localrag.core.testing.NoiseEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VectorIndex} backend guarantees, run against each one (like LangChain4j's
 * {@code EmbeddingStoreIT}): a backend's test extends this class and says how to open its index.
 * Only the {@link VectorIndex} interface and its values are used here, never a backend's classes.
 *
 * <p>Shipped in rag-core's test-jar, so a backend in another module subclasses it from there.
 */
public abstract class VectorIndexContract {

    protected static final int DIMENSION = 32;
    protected static final HashingEmbedder EMBEDDER = new HashingEmbedder(DIMENSION);
    protected static final IndexManifest MANIFEST = IndexManifest.of(EMBEDDER.spec(), DIMENSION, "contract:1/0");

    private final List<VectorIndex> opened = new ArrayList<>();

    /**
     * Opens this test's index for writing with {@code manifest}: on the first call a new, empty
     * index; on later calls (after the previous one was closed) the same index again, so that its
     * stored manifest is checked against {@code manifest}.
     *
     * @throws IndexMismatchException when the stored index was built with other settings
     */
    protected abstract VectorIndex open(IndexManifest manifest);

    private VectorIndex index(IndexManifest manifest) {
        VectorIndex index = open(manifest);
        opened.add(index);
        return index;
    }

    private VectorIndex index() {
        return index(MANIFEST);
    }

    private void close(VectorIndex index) {
        opened.remove(index);
        index.close();
    }

    @AfterEach
    void closeIndexes() {
        for (VectorIndex index : opened) {
            index.close();
        }
    }

    // ---------------------------------------------------------------- writes

    @Test
    void addReplaceAndDeleteADocument() {
        VectorIndex index = index();
        assertThat(index.manifest()).isEqualTo(MANIFEST);
        assertThat(index.location()).isNotBlank();

        // given a document with three chunks
        index.replaceDocument(doc("/a.md", "A"), chunks("old alpha text", "old beta text", "old gamma text"));
        index.replaceDocument(doc("/b.md", "B"), chunks("bravo text"));
        index.commit();
        assertThat(index.stats()).isEqualTo(new IndexStats(2, 4));
        assertThat(index.chunkCount("/a.md")).isEqualTo(3);

        // when it is replaced by one with a single chunk
        index.replaceDocument(doc("/a.md", "A"), chunks("new delta text"));
        index.commit();

        // then only the new chunk remains, in every search mode
        assertThat(index.stats()).isEqualTo(new IndexStats(2, 2));
        assertThat(index.chunkCount("/a.md")).isEqualTo(1);
        assertThat(search(index, SearchMode.KEYWORD, "old alpha", 5)).isEmpty();
        for (SearchMode mode : SearchMode.values()) {
            assertThat(search(index, mode, "delta", 5))
                    .as(mode.toString())
                    .filteredOn(h -> h.documentId().equals("/a.md"))
                    .extracting(SearchHit::text)
                    .containsExactly("new delta text");
        }

        // and delete removes it; deleting what is absent is no error
        index.deleteDocument("/a.md");
        index.deleteDocument("/never-there.md");
        index.commit();
        assertThat(index.stats()).isEqualTo(new IndexStats(1, 1));
        assertThat(index.documents()).containsOnlyKeys("/b.md");
        assertThat(index.chunkRecords("/a.md")).isEmpty();
        assertThat(index.chunkCount("/a.md")).isZero();

        // and delete-all empties the index
        index.deleteAll();
        index.commit();
        assertThat(index.stats()).isEqualTo(new IndexStats(0, 0));
    }

    @Test
    void changesAreVisibleAfterARefreshAndSurviveAReopenAfterACommit() {
        VectorIndex index = index();
        index.replaceDocument(doc("/a.md", "A"), chunks("ollama listens on port 11434"));
        index.refresh();
        assertThat(search(index, SearchMode.KEYWORD, "port", 5))
                .extracting(SearchHit::documentId)
                .containsExactly("/a.md");
        index.commit();
        close(index);

        VectorIndex reopened = index();

        assertThat(reopened.manifest()).isEqualTo(MANIFEST);
        assertThat(reopened.stats()).isEqualTo(new IndexStats(1, 1));
        for (SearchMode mode : SearchMode.values()) {
            List<SearchHit> hits = search(reopened, mode, "which port does ollama listen on", 2);
            assertThat(hits).as(mode.toString()).isNotEmpty();
            assertThat(hits.getFirst().documentId()).as(mode.toString()).isEqualTo("/a.md");
            assertThat(hits.getFirst().title()).isEqualTo("A");
        }
    }

    @Test
    void aVectorOfTheWrongDimensionIsRejectedAndNothingIsWritten() {
        VectorIndex index = index();
        List<ChunkRecord> wrong = List.of(new ChunkRecord(0, "text", new float[] {1f, 0f}));

        assertThatThrownBy(() -> index.replaceDocument(doc("/x.md", "X"), wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2-d")
                .hasMessageContaining(DIMENSION + "-d");
        index.commit();
        assertThat(index.stats()).isEqualTo(new IndexStats(0, 0));
    }

    @Test
    void aSearcherNeverSeesAPartialOrMixedDocumentWhileItIsReplaced() throws Exception {
        // given a document whose generation g has (g % 7) + 1 chunks, all tagged with g
        VectorIndex index = index();
        index.replaceDocument(generation(0), generationChunks(0));
        index.replaceDocument(new SourceDocument("/other.md", "", "", "", 1, 1), generationChunks(99));
        index.commit();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger searches = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

        // when a thread searches in every mode while the document is replaced 120 times (made visible by
        // refreshes and commits)
        Thread searcher = new Thread(() -> {
            SearchMode[] modes = SearchMode.values();
            try {
                while (!done.get()) {
                    SearchMode mode = modes[searches.getAndIncrement() % modes.length];
                    List<SearchHit> hits = index.search(SearchRequest.builder()
                            .mode(mode)
                            .text("chunk generation")
                            .vector(EMBEDDER.embedQuery("chunk generation"))
                            .k(20)
                            .filter(metadataKey(SourceDocument.PATH).isEqualTo("/a.md"))
                            .build());
                    List<Object> generations = hits.stream()
                            .map(h -> h.metadata().get("gen"))
                            .distinct()
                            .toList();
                    if (generations.size() != 1) {
                        problems.add(mode + ": generations " + generations);
                    } else if (hits.size() != ((Integer) generations.getFirst() % 7) + 1) {
                        problems.add(mode + ": " + hits.size() + " chunks of generation " + generations);
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        searcher.start();
        for (int g = 1; g <= 120; g++) {
            index.replaceDocument(generation(g), generationChunks(g));
            if (g % 20 == 0) {
                index.commit();
            } else {
                index.refresh();
            }
        }
        // let the searcher see the last generation too, then stop it
        int seen = searches.get();
        while (searches.get() < Math.max(seen + 3, 50) && errors.isEmpty()) {
            Thread.onSpinWait();
        }
        done.set(true);
        searcher.join();

        // then every search saw exactly one whole generation
        assertThat(errors).isEmpty();
        assertThat(problems).isEmpty();
        assertThat(index.stats()).isEqualTo(new IndexStats(2, (120 % 7) + 1 + (99 % 7) + 1));
    }

    // ---------------------------------------------------------------- filters

    @Test
    void filtersOnBuiltInAndExtraMetadataApplyInEveryMode() {
        // given a markdown and a PDF document about the same thing, in different teams
        VectorIndex index = index();
        index.replaceDocument(
                doc("/docs/a.md", "Ports", "text/markdown", Map.of("team", "infra", "year", 2024)),
                chunks("ollama listens on port 11434"));
        index.replaceDocument(
                doc("/docs/b.pdf", "Ports again", "application/pdf", Map.of("team", "apps", "year", 2025)),
                chunks("ollama listens on port 11434 too"));
        index.commit();

        for (SearchMode mode : SearchMode.values()) {
            // when filtering on the MIME type, an extra string, a number range, and a combination
            // then only matching chunks come back
            assertThat(ids(
                            index,
                            request(mode, "ollama port")
                                    .filter(metadataKey(SourceDocument.MIME_TYPE)
                                            .isEqualTo("application/pdf"))))
                    .as(mode.toString())
                    .containsExactly("/docs/b.pdf");
            assertThat(ids(
                            index,
                            request(mode, "ollama port")
                                    .filter(metadataKey("team").isEqualTo("infra"))))
                    .as(mode.toString())
                    .containsExactly("/docs/a.md");
            assertThat(ids(
                            index,
                            request(mode, "ollama port")
                                    .filter(metadataKey("year").isGreaterThan(2024L))))
                    .as(mode.toString())
                    .containsExactly("/docs/b.pdf");
            assertThat(ids(
                            index,
                            request(mode, "ollama port")
                                    .filter(metadataKey(SourceDocument.PATH)
                                            .isIn("/docs/a.md", "/docs/b.pdf")
                                            .and(metadataKey(SourceDocument.TITLE)
                                                    .isNotEqualTo("Ports")))))
                    .as(mode.toString())
                    .containsExactly("/docs/b.pdf");
        }
    }

    @Test
    void aVerySelectiveFilterStillReturnsTheFullKFromInsideTheVectorSearch() {
        // given 2000 chunks of which 7 belong to the wanted tenant, none of them near the query
        VectorIndex index = index();
        float[][] vectors = RandomVectors.unitVectors(2000, DIMENSION, 42);
        for (int i = 0; i < vectors.length; i++) {
            String tenant = i % 300 == 7 ? "wanted" : "other";
            index.replaceDocument(
                    doc("/d/" + i, "", "text/plain", Map.of("tenant", tenant)),
                    List.of(new ChunkRecord(0, "chunk " + i, vectors[i])));
        }
        index.commit();
        float[] query = vectors[0]; // an "other" chunk: post-filtering the top k would find nothing

        // when searching for the 5 nearest with the filter, in vector and hybrid mode
        for (SearchMode mode : List.of(SearchMode.VECTOR, SearchMode.HYBRID)) {
            List<SearchHit> hits = index.search(SearchRequest.builder()
                    .mode(mode)
                    .text("chunk")
                    .vector(query)
                    .k(5)
                    .filter(metadataKey("tenant").isEqualTo("wanted"))
                    .build());

            // then all 5 are matching chunks
            assertThat(hits)
                    .as(mode.toString())
                    .hasSize(5)
                    .allSatisfy(h -> assertThat(h.metadata()).containsEntry("tenant", "wanted"));
        }

        // and in vector mode they are the exact 5 nearest matching ones
        List<SearchHit> hits = index.search(SearchRequest.builder()
                .mode(SearchMode.VECTOR)
                .vector(query)
                .k(5)
                .filter(metadataKey("tenant").isEqualTo("wanted"))
                .build());
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
    void anUnsupportedFilterIsAnErrorNeverIgnored() {
        VectorIndex index = index();
        index.replaceDocument(doc("/a.md", "A"), chunks("text"));
        index.commit();
        Filter custom = object -> true;

        assertThatThrownBy(() -> index.search(
                        request(SearchMode.VECTOR, "text").filter(custom).build()))
                .isInstanceOf(UnsupportedFilterException.class);
        assertThatThrownBy(() -> index.deleteMatching(custom)).isInstanceOf(UnsupportedFilterException.class);
        assertThat(index.stats()).isEqualTo(new IndexStats(1, 1));
    }

    @Test
    void deleteMatchingRemovesWholeDocumentsIncludingUncommittedOnes() {
        // given two committed documents and one not yet committed, in two languages
        VectorIndex index = index();
        index.replaceDocument(doc("/a.md", "A", "text/markdown", Map.of("lang", "en")), chunks("one", "two"));
        index.replaceDocument(doc("/b.md", "B", "text/markdown", Map.of("lang", "zh")), chunks("three"));
        index.commit();
        index.replaceDocument(doc("/c.md", "C", "text/markdown", Map.of("lang", "en")), chunks("four"));

        // when every English document is deleted
        int removed = index.deleteMatching(metadataKey("lang").isEqualTo("en"));
        index.commit();

        // then both went, with all their chunks
        assertThat(removed).isEqualTo(2);
        assertThat(index.stats()).isEqualTo(new IndexStats(1, 1));
        assertThat(index.documents()).containsOnlyKeys("/b.md");
        assertThat(index.deleteMatching(metadataKey("lang").isEqualTo("en"))).isZero();
    }

    // ---------------------------------------------------------------- manifest

    @Test
    void reopeningWithAnotherEmbedderOrDimensionIsAClearErrorNamingBoth() {
        // given an index built with the contract's embedder, closed
        VectorIndex index = index();
        index.replaceDocument(doc("/a.md", "A"), chunks("text"));
        index.commit();
        String location = index.location();
        close(index);
        IndexManifest otherEmbedder = IndexManifest.of(
                EmbedderSpec.parse("ollama:qwen3-embedding:0.6b-q8_0"), DIMENSION, MANIFEST.chunking());
        IndexManifest otherDimension = IndexManifest.of(MANIFEST.embedder(), DIMENSION * 2, MANIFEST.chunking());

        // when it is reopened with another embedder, or another dimension, then the error names both and where
        assertThatThrownBy(() -> index(otherEmbedder))
                .isInstanceOf(IndexMismatchException.class)
                .hasMessageContaining(location)
                .hasMessageContaining(MANIFEST.embedder().toString())
                .hasMessageContaining("ollama:qwen3-embedding:0.6b-q8_0");
        assertThatThrownBy(() -> index(otherDimension))
                .isInstanceOf(IndexMismatchException.class)
                .hasMessageContaining(location)
                .hasMessageContaining(DIMENSION + "-d")
                .hasMessageContaining(DIMENSION * 2 + "-d");

        // and the index is untouched: its own settings still open it
        VectorIndex again = index();
        assertThat(again.manifest()).isEqualTo(MANIFEST);
        assertThat(again.stats()).isEqualTo(new IndexStats(1, 1));
    }

    // ---------------------------------------------------------------- incremental-sync reads

    @Test
    void documentsAndChunksReadBackWhatWasWritten() {
        // given two documents, one replaced after a commit so that its old version is gone
        VectorIndex index = index();
        index.replaceDocument(doc("/a.md", "A"), chunks("first old", "second old"));
        index.commit();
        SourceDocument a = new SourceDocument("/a.md", "A", "text/markdown", "hash-a2", 42, 1_700_000_000_123L)
                .withMetadata(Map.of("author", "Ann", "pages", 3));
        SourceDocument b = doc("/b.md", "B");
        index.replaceDocument(b, chunks("bravo"));
        index.replaceDocument(a, chunks("first new", "second new", "third new"));
        index.commit();

        // when the documents and chunks are read back
        Map<String, SourceDocument> documents = index.documents();
        List<ChunkRecord> records = index.chunkRecords("/a.md");
        List<SearchHit> hits = index.chunks("/a.md");

        // then the documents carry their hashes, sizes, times and metadata
        assertThat(documents).containsOnlyKeys("/a.md", "/b.md");
        assertThat(documents.get("/a.md")).isEqualTo(a);
        assertThat(documents.get("/b.md")).isEqualTo(b);
        // and only the live version's chunks come back, in order, with the vectors that were written
        assertThat(records).isEqualTo(chunks("first new", "second new", "third new"));
        assertThat(hits).extracting(SearchHit::text).containsExactly("first new", "second new", "third new");
        assertThat(hits).extracting(SearchHit::ordinal).containsExactly(0, 1, 2);
        assertThat(hits).allSatisfy(h -> {
            assertThat(h.documentId()).isEqualTo("/a.md");
            assertThat(h.title()).isEqualTo("A");
            assertThat(h.score()).isZero();
        });
        assertThat(index.chunkRecords("/missing.md")).isEmpty();
        assertThat(index.chunks("/missing.md")).isEmpty();
        assertThat(index.stats()).isEqualTo(new IndexStats(2, 4));
    }

    @Test
    void searchHitsCarryTheirVectorsOnlyWhenAskedInEveryMode() {
        // given an indexed document
        VectorIndex index = index();
        index.replaceDocument(doc("/a.md", "A"), chunks("alpha text", "beta text"));
        index.commit();

        for (SearchMode mode : SearchMode.values()) {
            // when it is searched with and without vectors
            List<SearchHit> plain = index.search(request(mode, "alpha text").build());
            List<SearchHit> withVectors = index.search(
                    request(mode, "alpha text").includeVectors(true).build());

            // then the hits are the same, and only the asked ones carry the stored vectors
            assertThat(plain)
                    .as(mode.name())
                    .isNotEmpty()
                    .allSatisfy(h -> assertThat(h.vector()).isNull());
            assertThat(withVectors)
                    .as(mode.name())
                    .extracting(SearchHit::ordinal)
                    .containsExactlyElementsOf(
                            plain.stream().map(SearchHit::ordinal).toList());
            assertThat(withVectors)
                    .as(mode.name())
                    .allSatisfy(h -> assertThat(h.vector()).containsExactly(EMBEDDER.vector(h.text())));
        }
    }

    @Test
    void aShallowHybridSearchAmongLinkListsIsThePrefixOfADeeperOne() {
        // given link lists (damped by hybrid search) and passages, all naming the query's words
        VectorIndex index = index();
        for (int i = 0; i < 4; i++) {
            index.replaceDocument(
                    doc("/links" + i + ".md", "Links " + i),
                    chunks("Quokka › See also\n\n- [quokka habitat](https://x.org/quokka-habitat-" + i
                            + ")\n- [quokka habitat island](https://x.org/island-" + i + ")"));
            index.replaceDocument(
                    doc("/prose" + i + ".md", "Prose " + i),
                    chunks("Quokka › Habitat\n\nThe quokka habitat " + i + " is scrub on a small island."));
        }
        index.commit();

        // when searched deep and shallow
        String query = "quokka habitat island";
        List<SearchHit> deep = search(index, SearchMode.HYBRID, query, 8);

        // then the deep ranking is best first and every shallower one is its prefix, scores included
        assertThat(deep).hasSize(8);
        assertThat(deep).extracting(SearchHit::score).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        for (int k = 1; k < 8; k++) {
            assertThat(search(index, SearchMode.HYBRID, query, k))
                    .extracting(SearchHit::documentId, SearchHit::score)
                    .containsExactlyElementsOf(deep.subList(0, k).stream()
                            .map(h -> org.assertj.core.groups.Tuple.tuple(h.documentId(), h.score()))
                            .toList());
        }
    }

    @Test
    void aDocumentWithoutChunksIsKeptAndCounted() {
        // an empty file is a document the next sync must know about, with nothing to search
        VectorIndex index = index();
        index.replaceDocument(doc("/empty.txt", "empty.txt"), List.of());
        index.replaceDocument(doc("/a.md", "A"), chunks("alpha"));
        index.commit();

        assertThat(index.documents()).containsOnlyKeys("/empty.txt", "/a.md");
        assertThat(index.chunkRecords("/empty.txt")).isEmpty();
        assertThat(index.stats()).isEqualTo(new IndexStats(2, 1));
    }

    // ---------------------------------------------------------------- hybrid calibration

    @Test
    void theCalibratedHybridWeightIsStoredWithTheIndexAndUsedByHybridSearchesThatSetNone() {
        // given 40 long documents embedded by an embedder that cannot read them (a random vector per text)
        Embedder noise = new NoiseEmbedder(EMBEDDER.spec(), DIMENSION);
        VectorIndex index = index();
        Random random = new Random(42);
        for (int d = 0; d < 40; d++) {
            List<String> words = new ArrayList<>();
            for (int w = 0; w < 80; w++) {
                words.add("w" + random.nextInt(400));
            }
            String text = String.join(" ", words);
            index.replaceDocument(
                    doc("/d" + d + ".txt", "d" + d), List.of(new ChunkRecord(0, text, noise.embedQuery(text))));
        }
        index.commit();
        assertThat(scored(index, Double.NaN)).as("uncalibrated: 0.6").isEqualTo(scored(index, 0.6));

        // when it is calibrated through the interface, as an ingest does
        HybridCalibration.Result r = HybridCalibration.calibrate(index, noise);

        // then keyword search finds the pseudo-queries' chunks, vector search does not, and the vector side is left out
        assertThat(r.samples()).isEqualTo(40);
        assertThat(r.keywordMrr()).isGreaterThan(0.95);
        assertThat(r.vectorMrr()).isLessThan(0.3);
        assertThat(r.vectorWeight()).isZero();
        assertThat(index.manifest()).isEqualTo(MANIFEST.withHybridVectorWeight(0));
        // and a hybrid search that sets no weight uses it
        List<String> keywordOnly = scored(index, 0);
        assertThat(keywordOnly).isNotEqualTo(scored(index, 0.6));
        assertThat(scored(index, Double.NaN)).isEqualTo(keywordOnly);
        close(index);

        // and a reopen with a manifest without a weight (as every ingest opens an index) keeps and uses it
        VectorIndex reopened = index();
        assertThat(reopened.manifest()).isEqualTo(MANIFEST.withHybridVectorWeight(0));
        assertThat(scored(reopened, Double.NaN)).isEqualTo(keywordOnly);

        // and another weight, or none, replaces it
        reopened.recordHybridVectorWeight(0.25);
        reopened.commit();
        close(reopened);
        VectorIndex again = index();
        assertThat(again.manifest().hybridVectorWeight()).isEqualTo(0.25);
        again.recordHybridVectorWeight(Double.NaN);
        again.commit();
        close(again);
        assertThat(index().manifest()).isEqualTo(MANIFEST);
    }

    @Test
    void aHybridWeightOutsideZeroToOneIsRejectedAndNothingIsStored() {
        VectorIndex index = index();

        assertThatThrownBy(() -> index.recordHybridVectorWeight(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
        index.commit();
        close(index);

        assertThat(index().manifest()).isEqualTo(MANIFEST);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The hits of a hybrid search with {@code vectorWeight} (NaN: the index's) for words of the
     * calibration test's documents, as "document#ordinal score" (score to 4 decimals), best first.
     */
    private static List<String> scored(VectorIndex index, double vectorWeight) {
        SearchRequest request = SearchRequest.builder()
                .mode(SearchMode.HYBRID)
                .text("w1 w7 w42 w99 w123")
                .vector(EMBEDDER.embedQuery("w1 w7 w42 w99 w123"))
                .vectorWeight(vectorWeight)
                .k(10)
                .build();
        return index.search(request).stream()
                .map(h -> String.format(java.util.Locale.ROOT, "%s#%d %.4f", h.documentId(), h.ordinal(), h.score()))
                .toList();
    }

    private static List<SearchHit> search(VectorIndex index, SearchMode mode, String query, int k) {
        return index.search(mode, query, EMBEDDER.embedQuery(query), k);
    }

    private static SearchRequest.Builder request(SearchMode mode, String text) {
        return SearchRequest.builder()
                .mode(mode)
                .text(text)
                .vector(EMBEDDER.embedQuery(text))
                .k(10);
    }

    private static List<String> ids(VectorIndex index, SearchRequest.Builder request) {
        return index.search(request.build()).stream()
                .map(SearchHit::documentId)
                .distinct()
                .toList();
    }

    private static SourceDocument doc(String id, String title) {
        return new SourceDocument(id, title, "text/markdown", "hash-" + id, 10, 1000);
    }

    private static SourceDocument doc(String id, String title, String mime, Map<String, ?> metadata) {
        return new SourceDocument(id, title, mime, "hash-" + id, 10, 1000).withMetadata(metadata);
    }

    private static List<ChunkRecord> chunks(String... texts) {
        List<ChunkRecord> out = new ArrayList<>();
        for (String t : texts) {
            out.add(new ChunkRecord(out.size(), t, EMBEDDER.vector(t)));
        }
        return out;
    }

    private static SourceDocument generation(int g) {
        return new SourceDocument("/a.md", "A", "text/plain", "h" + g, 1, 1).withMetadata(Map.of("gen", g));
    }

    private static List<ChunkRecord> generationChunks(int g) {
        List<ChunkRecord> out = new ArrayList<>();
        for (int i = 0; i <= g % 7; i++) {
            String text = "chunk " + i + " generation " + g;
            out.add(new ChunkRecord(i, text, EMBEDDER.vector(text)));
        }
        return out;
    }
}
