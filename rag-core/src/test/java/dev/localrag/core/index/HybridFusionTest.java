package dev.localrag.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.index.HybridFusion.Scored;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HybridFusionTest {

    private static final List<Scored<String>> VECTOR =
            List.of(new Scored<>("a", 0.9), new Scored<>("b", 0.8), new Scored<>("c", 0.5));
    private static final List<Scored<String>> KEYWORD =
            List.of(new Scored<>("c", 12.0), new Scored<>("d", 10.0), new Scored<>("a", 2.0));

    private static List<String> keys(List<Scored<String>> fused) {
        return fused.stream().map(Scored::key).toList();
    }

    @Test
    void reciprocalRankFusionAddsWeightOverKPlusRank() {
        // k = 1, weights 0.5: a = 0.5/2 + 0.5/4 = 0.375, b = 0.5/3, c = 0.5/4 + 0.5/2 = 0.375, d = 0.5/3;
        // ties keep first appearance (vector list first): a, c, b, d
        List<Scored<String>> fused = HybridFusion.rrf(1, 0.5).fuse(VECTOR, KEYWORD, 3);
        assertThat(keys(fused)).containsExactly("a", "c", "b", "d");
        assertThat(fused.getFirst().score()).isCloseTo(0.375, within(1e-12));
        // vector weight 0.9: a = 0.45 + 0.025, c = 0.225 + 0.05, b = 0.3, d = 0.1/3
        assertThat(keys(HybridFusion.rrf(1, 0.9).fuse(VECTOR, KEYWORD, 3))).containsExactly("a", "b", "c", "d");
    }

    @Test
    void minMaxFusionUsesNormalisedScores() {
        // vector normalised: a = 1, b = 0.75, c = 0; keyword: c = 1, d = 0.8, a = 0
        assertThat(HybridFusion.minMaxed(VECTOR)[1]).isCloseTo(0.75, within(1e-12));
        // w 0.5: a = 0.5, b = 0.375, c = 0.5, d = 0.4 -> a, c (tie, first seen), d, b
        assertThat(keys(HybridFusion.minMax(0.5).fuse(VECTOR, KEYWORD, 3))).containsExactly("a", "c", "d", "b");
        // w 0.2: a = 0.2, b = 0.15, c = 0.8, d = 0.64
        assertThat(keys(HybridFusion.minMax(0.2).fuse(VECTOR, KEYWORD, 3))).containsExactly("c", "d", "a", "b");
        // a list of one normalises to 1
        assertThat(HybridFusion.minMax(0.5).fuse(List.of(), List.of(new Scored<>("x", 3.0)), 1))
                .containsExactly(new Scored<>("x", 0.5));
    }

    @Test
    void zScoreFusionStandardisesEachListAndGivesMissingKeysTheListsFloor() {
        // vector 0.9, 0.8, 0.5: mean 0.7333, sd 0.1700 -> a = 0.981, b = 0.392, c = -1.373
        assertThat(HybridFusion.standardised(VECTOR, 0)[0]).isCloseTo(0.98058, within(1e-5));
        // keyword 12, 10, 2: mean 8, sd 4.3205 -> c = 0.926, d = 0.463, a = -1.389
        assertThat(HybridFusion.standardised(KEYWORD, 0)[1]).isCloseTo(0.46291, within(1e-5));
        // w 0.5: a = (0.981 - 1.389)/2 = -0.204; b = (0.392 - 1.389)/2 = -0.498 (missing from keyword:
        // its floor, -1.389); c = (-1.373 + 0.926)/2 = -0.224; d = (-1.373 + 0.463)/2 = -0.455
        List<Scored<String>> fused = HybridFusion.zScore(0.5).fuse(VECTOR, KEYWORD, 3);
        assertThat(keys(fused)).containsExactly("a", "c", "d", "b");
        assertThat(fused.getFirst().score()).isCloseTo((0.98058 - 1.38873) / 2, within(1e-4));
    }

    @Test
    void aRareTermKeywordMatchThatOnlyTheKeywordSideFindsComesFirst() {
        // given the quokka case: "quokkas Rottnest" matches one chunk (faq) by its two rare words, far
        // above every other BM25 score; the vector side ranks faq nowhere and fills its list with
        // chunks of near-equal, middling similarity, led by an unrelated index chunk
        List<Scored<String>> vector = new java.util.ArrayList<>();
        vector.add(new Scored<>("index#3", 0.78));
        for (int i = 0; i < 49; i++) {
            vector.add(new Scored<>("other#" + i, 0.77 - i * 0.001));
        }
        List<Scored<String>> keyword = new java.util.ArrayList<>();
        keyword.add(new Scored<>("faq#7", 14.2)); // no other chunk holds either word

        // when fused by default (the keyword list counts as 50 long: the other 49 chunks scored BM25 0),
        // then faq comes first; RRF ties it (1/61 each side) and loses the tie
        assertThat(HybridFusion.DEFAULT.fuse(vector, keyword, 50).getFirst().key())
                .isEqualTo("faq#7");
        assertThat(HybridFusion.rrf(60, 0.5)
                        .fuse(vector, keyword, 50)
                        .getFirst()
                        .key())
                .isEqualTo("index#3");
    }

    @Test
    void aShortKeywordListIsStandardisedWithTheBm25ZerosOfTheUnmatched() {
        // keyword 12, 10, 2 asked for 5: two more scored 0 -> mean 4.8, sd 5.15; the absent get -0.932
        double[] z = HybridFusion.standardised(KEYWORD, 2);
        assertThat(z).hasSize(4);
        assertThat(z[0]).isCloseTo((12 - 4.8) / Math.sqrt(26.56), within(1e-9));
        assertThat(z[3]).isCloseTo(-4.8 / Math.sqrt(26.56), within(1e-9));
        // b, missing from the keyword list, gets that zero's z-score there
        List<Scored<String>> fused = HybridFusion.zScore(0.5).fuse(VECTOR, KEYWORD, 5);
        double bVector = HybridFusion.standardised(VECTOR, 0)[1];
        assertThat(fused).contains(new Scored<>("b", 0.5 * bVector + 0.5 * z[3]));
    }

    @Test
    void queryAdaptiveExperimentsLeanOnTheSideWhoseTopStandsOut() {
        // vector: a = 0.981 on top; keyword: c = 0.926 on top (z-scores above). ztop 0.5 weights the
        // sides 0.981 : 0.926, so a (first in vector) leads; with the keyword top far ahead, c leads
        List<Scored<String>> sharpKeyword =
                List.of(new Scored<>("c", 100.0), new Scored<>("d", 1.0), new Scored<>("a", 0.5));
        HybridFusion ztop = HybridFusion.parse("ztop:0.5");
        assertThat(ztop.fuse(VECTOR, KEYWORD, 3).getFirst().key()).isEqualTo("a");
        assertThat(ztop.fuse(VECTOR, sharpKeyword, 50).getFirst().key()).isEqualTo("c");
    }

    @Test
    void emptyListsFuseToTheOtherListInItsOrder() {
        assertThat(keys(HybridFusion.DEFAULT.fuse(List.of(), KEYWORD, 3))).containsExactly("c", "d", "a");
        assertThat(keys(HybridFusion.DEFAULT.fuse(VECTOR, List.of(), 3))).containsExactly("a", "b", "c");
        assertThat(HybridFusion.DEFAULT.fuse(List.<Scored<String>>of(), List.of(), 3))
                .isEmpty();
    }

    @Test
    void specsParseAndBadOnesNameTheForms() {
        assertThat(HybridFusion.parse("rrf:20:0.7")).isEqualTo(HybridFusion.rrf(20, 0.7));
        assertThat(HybridFusion.parse("RRF:60")).isEqualTo(HybridFusion.rrf(60, 0.5));
        assertThat(HybridFusion.parse("convex:0.3")).isEqualTo(HybridFusion.minMax(0.3));
        assertThat(HybridFusion.parse("zscore:0.6")).isEqualTo(HybridFusion.zScore(0.6));
        assertThat(HybridFusion.parse("default")).isEqualTo(HybridFusion.DEFAULT);
        assertThat(HybridFusion.parse("ztop:0.5").method()).isEqualTo(HybridFusion.Method.Z_TOP);
        assertThat(HybridFusion.parse("zgap:0.5").method()).isEqualTo(HybridFusion.Method.Z_GAP);
        assertThat(HybridFusion.parse(HybridFusion.zScore(0.6).toString())).isEqualTo(HybridFusion.zScore(0.6));
        for (String bad : new String[] {"fuzzy", "rrf:0", "rrf:x", "convex:1.5", "zscore", ""}) {
            assertThatThrownBy(() -> HybridFusion.parse(bad))
                    .as(bad)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("rrf:K[:W]");
        }
    }

    @Test
    void aLinkListRanksBelowAPassageItOutscoredBeforeDamping() {
        // given two results, the better fused one a list of links
        // (z-scores 0.5: links (1.020 + 2.070) / 2 = 1.545, prose (0.973 + 1.928) / 2 = 1.450; damped links 0.773)
        List<Scored<String>> vector = List.of(
                new Scored<>("links", 0.9),
                new Scored<>("prose", 0.89),
                new Scored<>("x", 0.5),
                new Scored<>("y", 0.45));
        List<Scored<String>> keyword = List.of(new Scored<>("links", 9.0), new Scored<>("prose", 8.5));
        java.util.Map<String, String> texts = java.util.Map.of(
                "links", "Quokka › See also\n\n- [Rottnest Island](https://x.org/r)\n- [Wallaby](https://x.org/w)",
                "prose", "Quokka › Habitat\n\nQuokkas live on Rottnest Island.",
                "x", "x",
                "y", "y");

        // when fused without and with the link-list damping
        HybridFusion fusion = HybridFusion.zScore(0.5);

        // then only the damped ranking puts the prose first, and it keeps every result
        assertThat(keys(fusion.fuse(vector, keyword, 10))).containsExactly("links", "prose", "x", "y");
        assertThat(keys(fusion.fuse(vector, keyword, 10, texts::get))).containsExactly("prose", "links", "x", "y");
    }

    @Test
    void theLazilyDampedTopKIsTheFullyDampedTopKFromFewerTexts() {
        // given 60 candidates on each side, every third one a list of links, one of them first by fusion
        List<Scored<String>> vector = new ArrayList<>();
        List<Scored<String>> keyword = new ArrayList<>();
        Map<String, String> texts = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            String key = "c" + i;
            vector.add(new Scored<>(key, 0.9 - i * 0.005));
            keyword.add(new Scored<>("c" + (i * 7 % 60), 20.0 - i * 0.3));
            texts.put(
                    key,
                    i % 3 == 0
                            ? "Topic " + i + " › See also\n\n- [One](https://x.org/1)\n- [Two](https://x.org/2)"
                            : "Topic " + i + " › Body\n\nA passage that explains topic " + i + " in words.");
        }
        HybridFusion fusion = HybridFusion.DEFAULT;
        List<Scored<String>> undamped = fusion.fuse(vector, keyword, 60);
        List<Scored<String>> all = fusion.fuse(vector, keyword, 60, texts::get); // damps every candidate
        assertThat(texts.get(undamped.getFirst().key())).contains("See also");
        assertThat(keys(all.subList(0, 10))).isNotEqualTo(keys(undamped.subList(0, 10)));

        for (int k : new int[] {1, 5, 10, 20}) {
            // when only the top k of the lazily damped ranking is read
            List<String> asked = new ArrayList<>();
            List<Scored<String>> lazy = fusion.damped(vector, keyword, 60, key -> {
                asked.add(key);
                return texts.get(key);
            });
            List<Scored<String>> top = new ArrayList<>(lazy.subList(0, k));

            // then it is the fully damped top k, keys and scores, read from fewer texts, each once
            assertThat(top).as("top %d", k).containsExactlyElementsOf(all.subList(0, k));
            assertThat(asked)
                    .as("texts read for the top %d", k)
                    .doesNotHaveDuplicates()
                    .hasSizeLessThan(60);
        }
        // and read to its end it is the full damped ranking
        assertThat(fusion.damped(vector, keyword, 60, texts::get)).containsExactlyElementsOf(all);
    }
}
