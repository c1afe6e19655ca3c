package dev.localrag.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every expected figure below is worked out by hand in the comment next to it. */
class MetricsTest {

    private static final double EPS = 1e-9;

    @Test
    void oneRelevantDocumentAtRankTwo() {
        // given one relevant document, retrieved second
        List<String> ranked = List.of("d1", "d2", "d3");
        Map<String, Integer> rel = Map.of("d2", 1);

        // then DCG = 1/log2(3) = 0.6309298, IDCG = 1/log2(2) = 1
        assertThat(Metrics.ndcg(ranked, rel, 10)).isCloseTo(0.6309297535714575, within(EPS));
        assertThat(Metrics.recall(ranked, rel, 10)).isEqualTo(1.0);
        assertThat(Metrics.reciprocalRank(ranked, rel, 10)).isEqualTo(0.5);
    }

    @Test
    void gradedRelevanceUsesTheGradeAsGain() {
        // given a (grade 2) and b (grade 1), retrieved as b, x, a
        List<String> ranked = List.of("b", "x", "a");
        Map<String, Integer> rel = Map.of("a", 2, "b", 1);

        // then DCG = 1/log2(2) + 0/log2(3) + 2/log2(4) = 1 + 0 + 1 = 2
        //      IDCG = 2/log2(2) + 1/log2(3) = 2 + 0.6309298 = 2.6309298; nDCG = 0.7601826
        assertThat(Metrics.ndcg(ranked, rel, 10)).isCloseTo(2 / (2 + 1 / (Math.log(3) / Math.log(2))), within(EPS));
        assertThat(Metrics.ndcg(ranked, rel, 10)).isCloseTo(0.76018, within(1e-5));
        // MRR: the first relevant is b at rank 1
        assertThat(Metrics.reciprocalRank(ranked, rel, 10)).isEqualTo(1.0);
    }

    @Test
    void theCutoffDropsWhatIsRankedBelowK() {
        // given the only relevant document at rank 11
        List<String> ranked = List.of("x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "d");
        Map<String, Integer> rel = Map.of("d", 1);

        assertThat(Metrics.ndcg(ranked, rel, 10)).isZero();
        assertThat(Metrics.recall(ranked, rel, 10)).isZero();
        assertThat(Metrics.reciprocalRank(ranked, rel, 10)).isZero();
        // Recall@100 sees it
        assertThat(Metrics.recall(ranked, rel, 100)).isEqualTo(1.0);
        // nDCG@11 = (1/log2(12)) / 1 = 0.2789429
        assertThat(Metrics.ndcg(ranked, rel, 11)).isCloseTo(0.27894294565112987, within(EPS));
    }

    @Test
    void recallIsTheShareOfRelevantDocumentsFound() {
        // given three relevant, two of them in the top 2
        List<String> ranked = List.of("a", "b", "x", "c");
        Map<String, Integer> rel = Map.of("a", 1, "b", 1, "c", 1);

        assertThat(Metrics.recall(ranked, rel, 2)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(Metrics.recall(ranked, rel, 4)).isEqualTo(1.0);
        // nDCG@2 = (1 + 1/log2(3)) / (1 + 1/log2(3)) = 1: the top 2 are as good as can be
        assertThat(Metrics.ndcg(ranked, rel, 2)).isCloseTo(1.0, within(EPS));
        // nDCG@4 = (1 + 0.6309298 + 0 + 1/log2(5)) / (1 + 0.6309298 + 1/log2(4))
        //        = (1.6309298 + 0.4306766) / (1.6309298 + 0.5) = 2.0616064 / 2.1309298 = 0.967468
        assertThat(Metrics.ndcg(ranked, rel, 4)).isCloseTo(0.967468, within(1e-6));
    }

    @Test
    void gradeZeroJudgmentsAreNotRelevant() {
        // given a judged but non-relevant document ranked first
        List<String> ranked = List.of("a", "b");
        Map<String, Integer> rel = Map.of("a", 0, "b", 1);

        assertThat(Metrics.reciprocalRank(ranked, rel, 10)).isEqualTo(0.5);
        assertThat(Metrics.recall(ranked, rel, 1)).isZero();
        assertThat(Metrics.ndcg(ranked, rel, 10)).isCloseTo(0.6309297535714575, within(EPS));
    }

    @Test
    void repeatedIdsCountOnceAtTheirFirstRank() {
        // given the same chunk's document twice before the relevant one
        List<String> ranked = List.of("a", "a", "b");
        Map<String, Integer> rel = Map.of("b", 1);

        // b is the second distinct document
        assertThat(Metrics.reciprocalRank(ranked, rel, 2)).isEqualTo(0.5);
        assertThat(Metrics.recall(ranked, rel, 2)).isEqualTo(1.0);
    }

    @Test
    void noRelevantDocumentScoresZeroEverywhere() {
        List<String> ranked = List.of("a", "b");
        Map<String, Integer> rel = Map.of("a", 0);

        assertThat(Metrics.ndcg(ranked, rel, 10)).isZero();
        assertThat(Metrics.recall(ranked, rel, 10)).isZero();
        assertThat(Metrics.reciprocalRank(List.of(), Map.of("a", 1), 10)).isZero();
    }
}
