package dev.localrag.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.embed.EmbedderSpec;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorFormatTest {

    private static final EmbedderSpec SPEC = EmbedderSpec.parse("onnx:random-unit-vectors");
    private static final int N = 3000;
    private static final int DIM = 64;
    private static final int QUERIES = 40;
    private static final int K = 10;

    @TempDir
    Path dir;

    /**
     * Recall@10 against exact search on seeded random unit vectors (the hardest case for
     * quantization: no structure to exploit). Measured on this seed: float32 0.998, int8 0.993,
     * int4 1.0, bbq 0.993 with rescoring and 0.33 without; the bands leave margin for the
     * multi-threaded graph merge. 1-bit without rescoring must stay far below the rescored band.
     */
    @ParameterizedTest(name = "{0}: recall@10 in [{1}, {2}]")
    @CsvSource({
        "float32, 0.97, 1.0",
        "int8, 0.95, 1.0",
        "int4, 0.95, 1.0",
        "bbq, 0.95, 1.0",
        "bbq oversample=1, 0.15, 0.80"
    })
    void eachFormatFindsTheExactNeighboursWithinItsBand(String encoding, double min, double max) {
        float[][] vectors = RandomVectors.unitVectors(N, DIM, 7);
        float[][] queries = RandomVectors.unitVectors(QUERIES, DIM, 8);
        VectorFormat format = VectorFormat.parse(encoding);
        IndexManifest manifest = IndexManifest.of(SPEC, DIM, "none").withVectorFormat(format);

        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, manifest)) {
            for (int i = 0; i < N; i++) {
                index.replaceDocument(
                        new SourceDocument("v" + i, "", "", "", 0, 0), List.of(new ChunkRecord(0, "", vectors[i])));
            }
            index.forceMerge(1);
        }

        // searched through a read-only open: Lucene finds each field's format by its recorded name
        try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(dir)) {
            double found = 0;
            for (float[] q : queries) {
                Set<String> exact = new HashSet<>();
                for (int i : RandomVectors.exactTopK(vectors, q, K)) {
                    exact.add("v" + i);
                }
                for (SearchHit hit : index.search(SearchMode.VECTOR, null, q, K)) {
                    if (exact.contains(hit.documentId())) {
                        found++;
                    }
                }
            }
            double recall = found / (QUERIES * K);
            assertThat(recall).as("recall@10 of " + format).isBetween(min, max);
        }
        assertThat(LuceneVectorIndex.readManifest(dir).vectorFormat()).isEqualTo(format);
    }

    /**
     * The graph search's candidate count (efSearch) is the per-request recall/speed knob: on a
     * deliberately weak graph (m=4, beam=20) over 128-d random vectors, collecting only the 10 hits
     * misses many true neighbours, while 1,000 candidates find nearly all of them.
     */
    @Test
    void moreCandidatesPerRequestFindMoreOfTheExactNeighbours() {
        // given
        int n = 4000, dim = 128;
        float[][] vectors = RandomVectors.unitVectors(n, dim, 11);
        float[][] queries = RandomVectors.unitVectors(QUERIES, dim, 12);
        IndexManifest manifest =
                IndexManifest.of(SPEC, dim, "none").withVectorFormat(VectorFormat.DEFAULT.withGraph(4, 20));
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, manifest)) {
            for (int i = 0; i < n; i++) {
                index.replaceDocument(
                        new SourceDocument("v" + i, "", "", "", 0, 0), List.of(new ChunkRecord(0, "", vectors[i])));
            }
            index.forceMerge(1);

            // when
            double few = recall(index, vectors, queries, K);
            double automatic = recall(index, vectors, queries, 0);
            double many = recall(index, vectors, queries, 1000);

            // then
            assertThat(few).as("recall with 10 candidates").isLessThan(0.8);
            assertThat(automatic).as("recall with the default candidates").isGreaterThan(few);
            assertThat(many)
                    .as("recall with 1000 candidates")
                    .isGreaterThanOrEqualTo(0.97)
                    .isGreaterThan(automatic);
        }
    }

    @Test
    void candidatesOutOfRangeAreRejectedWithTheValue() {
        SearchRequest.Builder request =
                SearchRequest.builder().mode(SearchMode.VECTOR).vector(new float[] {1, 0});
        assertThatThrownBy(() -> request.candidates(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("candidates must be between 0 (automatic) and 100000, but was -1");
        assertThat(request.candidates(0).build().graphCandidates(5)).isEqualTo(SearchRequest.DEFAULT_CANDIDATES);
        assertThat(request.candidates(20).build().graphCandidates(50)).isEqualTo(50);
    }

    private static double recall(LuceneVectorIndex index, float[][] vectors, float[][] queries, int candidates) {
        double found = 0;
        for (float[] q : queries) {
            Set<String> exact = new HashSet<>();
            for (int i : RandomVectors.exactTopK(vectors, q, K)) {
                exact.add("v" + i);
            }
            SearchRequest request = SearchRequest.builder()
                    .mode(SearchMode.VECTOR)
                    .vector(q)
                    .k(K)
                    .candidates(candidates)
                    .build();
            for (SearchHit hit : index.search(request)) {
                if (exact.contains(hit.documentId())) {
                    found++;
                }
            }
        }
        return found / (queries.length * K);
    }

    @Test
    void rescoredScoresAreExactDotProducts() {
        float[][] vectors = RandomVectors.unitVectors(500, DIM, 3);
        IndexManifest manifest = IndexManifest.of(SPEC, DIM, "none").withVectorFormat(VectorFormat.parse("bbq"));
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, manifest)) {
            for (int i = 0; i < vectors.length; i++) {
                index.replaceDocument(
                        new SourceDocument("v" + i, "", "", "", 0, 0), List.of(new ChunkRecord(0, "", vectors[i])));
            }
            index.commit();
            SearchHit top =
                    index.search(SearchMode.VECTOR, null, vectors[17], 1).getFirst();
            assertThat(top.documentId()).isEqualTo("v17");
            assertThat(top.score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void theFormatAndGraphParametersAreRecordedAndCheckedOnOpen() {
        VectorFormat int4 = VectorFormat.parse("int4").withGraph(8, 50);
        IndexManifest manifest = IndexManifest.of(SPEC, DIM, "none").withVectorFormat(int4);
        try (LuceneVectorIndex ignored = LuceneVectorIndex.open(dir, manifest)) {
            // created
        }
        assertThat(LuceneVectorIndex.readManifest(dir).vectorFormat())
                .isEqualTo(int4)
                .hasToString("hnsw-int4 m=8 beam=50 oversample=2");

        assertThatThrownBy(() -> LuceneVectorIndex.open(dir, manifest.withVectorFormat(VectorFormat.DEFAULT)))
                .isInstanceOf(IndexMismatchException.class)
                .hasMessageContaining("hnsw-int4 m=8 beam=50")
                .hasMessageContaining("hnsw-float32")
                .hasMessageContaining("delete " + dir);
        try (LuceneVectorIndex reopened = LuceneVectorIndex.openReadOnly(dir)) {
            assertThat(reopened.manifest().vectorFormat()).isEqualTo(int4);
        }
    }

    @Test
    void badFormatsAreClearErrors() {
        assertThatThrownBy(() -> VectorFormat.parse("int3"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("float32, int8, int4, bbq");
        assertThatThrownBy(() -> VectorFormat.parse("int8 m=1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxConn must be between 2 and 512, but was 1");
        assertThatThrownBy(() -> VectorFormat.parse("int8 ef=3"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown key \"ef\"");
    }
}
