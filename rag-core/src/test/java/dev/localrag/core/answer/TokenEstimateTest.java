package dev.localrag.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenEstimateTest {

    @Test
    void countsCjkCharactersOneEachAndOtherTextByThree() {
        assertThat(TokenEstimate.of("abcdef")).isEqualTo(2);
        assertThat(TokenEstimate.of("端口")).isEqualTo(2);
        assertThat(TokenEstimate.containsCjk("如何更改端口?")).isTrue();
        assertThat(TokenEstimate.containsCjk("change the port")).isFalse();
    }

    @Test
    void truncateCutsToTheBudget() {
        String text = "word ".repeat(1000);

        String cut = TokenEstimate.truncate(text, 100);

        assertThat(TokenEstimate.of(cut)).isLessThanOrEqualTo(102);
        assertThat(cut).endsWith(" …");
        assertThat(TokenEstimate.truncate("short", 100)).isEqualTo("short");
    }
}
