package dev.localrag.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.localrag.datasets.Fusion.Scored;
import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {

    private static final List<Scored> VECTOR =
            List.of(new Scored("a", 0.9), new Scored("b", 0.8), new Scored("c", 0.5));
    private static final List<Scored> KEYWORD = List.of(new Scored("c", 12), new Scored("d", 10), new Scored("a", 2));

    @Test
    void reciprocalRankFusionAddsOneOverKPlusRank() {
        // with k = 1, equal weights 0.5:
        //   a = 0.5/2 + 0.5/4 = 0.375, b = 0.5/3 = 0.1667, c = 0.5/4 + 0.5/2 = 0.375, d = 0.5/3 = 0.1667
        //   ties broken by first appearance (vector list first): a, c, b, d
        assertThat(Fusion.reciprocalRank(VECTOR, KEYWORD, 1, 0.5)).containsExactly("a", "c", "b", "d");
    }

    @Test
    void reciprocalRankFusionWeightsTheLists() {
        // with k = 1 and vector weight 0.9: a = 0.45 + 0.025 = 0.475, c = 0.225 + 0.05 = 0.275,
        // b = 0.3, d = 0.1/3 = 0.033
        assertThat(Fusion.reciprocalRank(VECTOR, KEYWORD, 1, 0.9)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void convexCombinationUsesMinMaxNormalisedScores() {
        // vector normalised: a = 1, b = 0.75, c = 0; keyword: c = 1, d = 0.8, a = 0
        assertThat(Fusion.normalised(VECTOR).get("b")).isCloseTo(0.75, within(1e-12));
        assertThat(Fusion.normalised(KEYWORD).get("d")).isCloseTo(0.8, within(1e-12));
        // alpha 0.5: a = 0.5, b = 0.375, c = 0.5, d = 0.4 -> a, c (tie, first seen), d, b
        assertThat(Fusion.convex(VECTOR, KEYWORD, 0.5)).containsExactly("a", "c", "d", "b");
        // alpha 0.2: a = 0.2, b = 0.15, c = 0.8, d = 0.64 -> c, d, a, b
        assertThat(Fusion.convex(VECTOR, KEYWORD, 0.2)).containsExactly("c", "d", "a", "b");
    }

    @Test
    void zScoreFusionStandardisesEachList() {
        // vector scores 0.9, 0.8, 0.5: mean 0.7333, sd 0.1700 -> a = 0.980, b = 0.392, c = -1.373
        assertThat(Fusion.standardised(VECTOR).get("a")).isCloseTo(0.98058, within(1e-5));
        // keyword 12, 10, 2: mean 8, sd 4.3205 -> c = 0.926, d = 0.463, a = -1.389
        assertThat(Fusion.standardised(KEYWORD).get("d")).isCloseTo(0.46291, within(1e-5));
        // alpha 0.5: a = (0.981 - 1.389)/2 = -0.204, b = (0.392 - 1.389)/2 = -0.498 (b missing from keyword:
        // its lowest, a's -1.389), c = (-1.373 + 0.926)/2 = -0.224, d = (-1.373 + 0.463)/2 = -0.455
        assertThat(Fusion.zScore(VECTOR, KEYWORD, 0.5)).containsExactly("a", "c", "d", "b");
    }

    @Test
    void aListWithOneScoreNormalisesToOne() {
        assertThat(Fusion.normalised(List.of(new Scored("x", 3))).get("x")).isEqualTo(1.0);
        assertThat(Fusion.convex(List.of(), List.of(new Scored("x", 3)), 0.5)).containsExactly("x");
    }
}
