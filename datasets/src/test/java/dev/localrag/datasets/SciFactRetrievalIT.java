package dev.localrag.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.Embedders;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quick retrieval evaluations on the shipped SciFact copy, with floors that catch regressions in
 * the analyzer, the keyword query, the index or the metrics. Full runs are {@code rag eval} commands
 * (README), not part of the build.
 */
class SciFactRetrievalIT {

    static final Path SCIFACT = Path.of("scifact").toAbsolutePath();

    @TempDir
    static Path cache;

    static BeirDataset scifact;

    @BeforeAll
    static void load() {
        scifact = BeirDataset.load(SCIFACT);
    }

    @Test
    void theShippedCopyIsTheBeirTestSplit() {
        assertThat(scifact.corpus()).hasSize(5183);
        assertThat(scifact.queries()).hasSize(300);
        assertThat(scifact.skippedEmpty()).isZero();
        assertThat(scifact.corpusSha256())
                .isEqualTo("dec31c8182f3d744c7d2c09423756fd1d17cbef75808db13ba01cc0aab4d1ac6");
    }

    @Test
    void keywordSearchOnSixtyQueriesOverTheFullCorpusStaysAboveItsFloor() {
        // given the full corpus (BM25 does not depend on the vectors: no model is needed)
        KeywordOnlyEmbedder embedder = new KeywordOnlyEmbedder();
        try (EvalIndex index = EvalIndex.openOrBuild(scifact, embedder, PassageLayout.WHOLE, cache, s -> {})) {
            RetrievalEvaluator evaluator = new RetrievalEvaluator(index.index(), embedder, 10, 1);

            // when
            ModeResult sixty = evaluator.evaluate(
                    EvalMode.parse("keyword"), scifact.limitQueries(60).queries());
            ModeResult all = evaluator.evaluate(EvalMode.parse("keyword"), scifact.queries());

            // then
            System.out.println("SciFact keyword, 60 queries: " + sixty);
            System.out.println("SciFact keyword, 300 queries: " + all);
            assertThat(sixty.queries()).isEqualTo(60);
            assertThat(sixty.ndcg()).isGreaterThan(FLOOR_KEYWORD_60_NDCG);
            assertThat(sixty.recall100()).isGreaterThan(FLOOR_KEYWORD_60_RECALL100);
            // the published Lucene BM25 range on all 300 test queries is 0.665-0.679
            // (measured 0.6946 with the index's text + title^0.5 query; Bm25CalibrationIT checks Anserini's setups)
            assertThat(all.ndcg()).isGreaterThan(FLOOR_KEYWORD_300_NDCG);
        }
    }

    @Test
    void inProcessEmbedderOnASmallSubsetStaysAboveItsFloors() {
        // given 20 queries over their judged documents plus the first 160 documents of the corpus as
        // distractors (~180 abstracts: about 10 s of embedding on 2 idle cores)
        BeirDataset twenty = scifact.limitQueries(20);
        Set<String> judged = new HashSet<>();
        twenty.queries().forEach(q -> judged.addAll(q.relevance().keySet()));
        Set<String> distractors = new HashSet<>();
        scifact.corpus().stream().limit(160).forEach(d -> distractors.add(d.id()));
        BeirDataset subset = twenty.filterCorpus(d -> judged.contains(d.id()) || distractors.contains(d.id()));
        try (Embedder embedder = Embedders.create(EmbedderSpec.DEFAULT_ONNX, null);
                EvalIndex index = EvalIndex.openOrBuild(subset, embedder, PassageLayout.WHOLE, cache, s -> {})) {
            RetrievalEvaluator evaluator = new RetrievalEvaluator(index.index(), embedder, 10, 1);

            // when
            ModeResult vector = evaluator.evaluate(EvalMode.parse("vector"), subset.queries());
            ModeResult hybrid = evaluator.evaluate(EvalMode.parse("hybrid"), subset.queries());

            // then
            System.out.println("SciFact subset (" + subset.corpus().size() + " docs): " + vector + " " + hybrid);
            assertThat(vector.ndcg()).isGreaterThan(FLOOR_SUBSET_VECTOR_NDCG);
            assertThat(hybrid.ndcg()).isGreaterThan(FLOOR_SUBSET_HYBRID_NDCG);
            assertThat(vector.recall()).isGreaterThan(FLOOR_SUBSET_VECTOR_RECALL10);
        }
    }

    // Floors: measured figure minus a margin for harmless changes (see README for the measured ones).
    static final double FLOOR_KEYWORD_60_NDCG = 0.745; // measured 0.7676
    static final double FLOOR_KEYWORD_60_RECALL100 = 0.92; // measured 0.9467
    static final double FLOOR_KEYWORD_300_NDCG = 0.675; // measured 0.6946
    static final double FLOOR_SUBSET_VECTOR_NDCG = 0.90; // measured 0.9815 (179 documents, 20 queries)
    static final double FLOOR_SUBSET_HYBRID_NDCG = 0.85; // measured 0.925
    static final double FLOOR_SUBSET_VECTOR_RECALL10 = 0.90; // measured 1.0
}
