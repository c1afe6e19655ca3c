package dev.localrag.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchHitTest {

    @Test
    void withScoreChangesOnlyTheScore() {
        // given a hit with every field set
        float[] vector = {0.5f, -0.25f};
        SearchHit hit =
                new SearchHit("/a.md", "A", 3, "alpha text", 0.25, "text/markdown", Map.of("author", "Ann"), vector);

        // when its score is replaced
        SearchHit rescored = hit.withScore(0.75);

        // then the new hit has the new score and the same other fields, the original is unchanged
        assertThat(rescored.score()).isEqualTo(0.75);
        assertThat(rescored).usingRecursiveComparison().ignoringFields("score").isEqualTo(hit);
        assertThat(rescored.vector()).isSameAs(vector);
        assertThat(hit.score()).isEqualTo(0.25);
    }

    @Test
    void withVectorChangesOnlyTheVector() {
        // given a hit without a vector
        SearchHit hit =
                new SearchHit("/a.md", "A", 3, "alpha text", 0.25, "text/markdown", Map.of("author", "Ann"), null);

        // when it is given one
        float[] vector = {0.5f, -0.25f};
        SearchHit withVector = hit.withVector(vector);

        // then only the vector differs and the original still has none
        assertThat(withVector.vector()).isSameAs(vector);
        assertThat(withVector)
                .usingRecursiveComparison()
                .ignoringFields("vector")
                .isEqualTo(hit);
        assertThat(hit.vector()).isNull();
    }

    @Test
    void missingMimeTypeAndMetadataBecomeEmpty() {
        SearchHit hit = new SearchHit("/a.md", "A", 0, "alpha", 1, null, null, null);

        assertThat(hit.mimeType()).isEmpty();
        assertThat(hit.metadata()).isEmpty();
        assertThat(hit.withScore(2).metadata()).isEmpty();
    }
}
