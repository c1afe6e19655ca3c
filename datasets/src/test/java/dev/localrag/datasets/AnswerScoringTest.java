package dev.localrag.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerScoringTest {

    @Test
    void tokensDropCaseArticlesPunctuationAndCitations() {
        assertThat(AnswerScoring.tokens("The port is 11434 [2].")).containsExactly("port", "is", "11434");
        assertThat(AnswerScoring.tokens("约4分钟")).containsExactly("约", "4", "分", "钟");
    }

    @Test
    void exactMatchAfterNormalisation() {
        assertThat(AnswerScoring.exactMatch("The Eiffel Tower. [1]", List.of("Big Ben", "eiffel tower")))
                .isEqualTo(1.0);
        assertThat(AnswerScoring.exactMatch("It is the Eiffel Tower", List.of("Eiffel Tower")))
                .isZero();
    }

    @Test
    void tokenF1IsTheHarmonicMeanOfTokenPrecisionAndRecall() {
        // predicted [cat, sat], gold [cat, sat, on, mat]: P = 1, R = 0.5, F1 = 2/3
        assertThat(AnswerScoring.tokenF1("The cat sat", List.of("the cat sat on the mat")))
                .isCloseTo(2.0 / 3, within(1e-12));
        // CJK by character: [4, 分, 钟] vs [4, 分, 钟, 内]: P = 1, R = 0.75, F1 = 1.5/1.75 = 0.857142...
        assertThat(AnswerScoring.tokenF1("4分钟", List.of("4分钟内"))).isCloseTo(1.5 / 1.75, within(1e-12));
        // the best gold answer counts
        assertThat(AnswerScoring.tokenF1("mat", List.of("dog", "mat"))).isEqualTo(1.0);
        assertThat(AnswerScoring.tokenF1("nothing shared", List.of("dog"))).isZero();
    }

    @Test
    void containsGoldLooksForTheGoldTokensInARow() {
        assertThat(AnswerScoring.containsGold("Ollama listens on port 11434 [1].", List.of("port 11434")))
                .isEqualTo(1.0);
        assertThat(AnswerScoring.containsGold("生命数耗完即算为踢爆[1]。", List.of("踢爆"))).isEqualTo(1.0);
        assertThat(AnswerScoring.containsGold("port is 11434", List.of("port 11434")))
                .isZero();
    }

    @Test
    void citationsAreTheNumbersInBrackets() {
        assertThat(AnswerScoring.citations("A [2] and B [1][2], not [x].")).containsExactly(2, 1);
    }

    @Test
    void notFoundAnswersAreRecognised() {
        assertThat(AnswerScoring.saysNotFound("Your documents do not contain the answer."))
                .isTrue();
        assertThat(AnswerScoring.saysNotFound("The sources don't mention it.")).isTrue();
        assertThat(AnswerScoring.saysNotFound("资料中没有提到这个问题。")).isTrue();
        assertThat(AnswerScoring.saysNotFound("It listens on port 11434 [1].")).isFalse();
    }
}
