package dev.localrag.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThinkFilterTest {

    @Test
    void thinkingIsSeparatedEvenWhenTagsAreSplitAcrossTokens() {
        StringBuilder answer = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        ThinkFilter filter = new ThinkFilter(answer::append, thinking::append);

        for (String token : List.of("<thi", "nk>Let me ", "plan.</th", "ink>\n\nPort ", "11434 [1]", ".")) {
            filter.accept(token);
        }
        filter.finish();

        assertThat(answer.toString()).isEqualTo("\n\nPort 11434 [1].");
        assertThat(thinking.toString()).isEqualTo("Let me plan.");
        assertThat(filter.thinking()).isEqualTo("Let me plan.");
    }

    @Test
    void textThatOnlyLooksLikeATagStartIsPassedOnAtTheEnd() {
        StringBuilder answer = new StringBuilder();
        ThinkFilter filter = new ThinkFilter(answer::append, t -> {});

        filter.accept("a < b and x <th");
        filter.finish();

        assertThat(answer.toString()).isEqualTo("a < b and x <th");
    }
}
