package dev.localrag.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenEstimateTest {

    @Test
    void theChatRuleCountsCjkCharactersOneEachAndOtherTextByThree() {
        assertThat(TokenEstimate.forChatModel("abcdef")).isEqualTo(2);
        assertThat(TokenEstimate.forChatModel("端口")).isEqualTo(2);
        assertThat(TokenEstimate.forChatModel("привет")).isEqualTo(2);
    }

    @Test
    void theEmbedderRuleAssumesEveryNonAsciiCharacterIsAToken() {
        assertThat(TokenEstimate.forEmbedder("abcdef")).isEqualTo(3);
        assertThat(TokenEstimate.forEmbedder("端口")).isEqualTo(3);
        assertThat(TokenEstimate.forEmbedder("привет")).isEqualTo(7);
    }

    @Test
    void theEmbedderRuleIsNeverBelowTheChatRule() {
        for (String text : new String[] {"", "port 11434", "如何更改端口?", "Grüße aus Köln", "안녕하세요 세계"}) {
            assertThat(TokenEstimate.forEmbedder(text))
                    .as(text)
                    .isGreaterThanOrEqualTo(TokenEstimate.forChatModel(text));
        }
    }

    @Test
    void truncateCutsToTheChatBudget() {
        String text = "word ".repeat(1000);

        String cut = TokenEstimate.truncateForChatModel(text, 100);

        assertThat(TokenEstimate.forChatModel(cut)).isLessThanOrEqualTo(102);
        assertThat(cut).endsWith(" …");
        assertThat(TokenEstimate.truncateForChatModel("short", 100)).isEqualTo("short");
    }
}
