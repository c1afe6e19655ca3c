package dev.localrag.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CjkTextTest {

    @Test
    void hanKanaAndHangulAreCjkLatinAndPunctuationAreNot() {
        assertThat("端ひカ한".codePoints().allMatch(CjkText::isCjk)).isTrue();
        assertThat("a1 。,".codePoints().noneMatch(CjkText::isCjk)).isTrue();
        assertThat(CjkText.containsCjk("如何更改端口?")).isTrue();
        assertThat(CjkText.containsCjk("change the port")).isFalse();
    }

    @Test
    void chineseAndJapaneseJoinWithoutASpaceKoreanAndLatinWithOne() {
        assertThat("端ひカ。，".codePoints().allMatch(CjkText::joinsWithoutSpace)).isTrue();
        assertThat("한a .".codePoints().noneMatch(CjkText::joinsWithoutSpace)).isTrue();
    }
}
