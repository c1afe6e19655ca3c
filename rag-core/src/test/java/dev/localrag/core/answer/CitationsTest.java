package dev.localrag.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CitationsTest {

    private static final List<Source> SOURCES = List.of(source(1, "/a.md"), source(2, "/b.md"), source(3, "/c.md"));

    @Test
    void markersMapToTheirSourcesInOrderOfFirstCitation() {
        Citations.Resolved r = Citations.resolve("Port 11434 [2]. Set OLLAMA_HOST [1][2].", SOURCES);

        assertThat(r.text()).isEqualTo("Port 11434 [2]. Set OLLAMA_HOST [1][2].");
        assertThat(r.cited()).extracting(Source::path).containsExactly("/b.md", "/a.md");
        assertThat(r.removed()).isZero();
    }

    @Test
    void markersPointingToNoSourceAreRemovedAndCounted() {
        Citations.Resolved r =
                Citations.resolve("Claim one [7]. Claim two [1, 9]. Claim three [99999999999][3].", SOURCES);

        assertThat(r.text()).isEqualTo("Claim one. Claim two [1]. Claim three [3].");
        assertThat(r.cited()).extracting(Source::n).containsExactly(1, 3);
        assertThat(r.removed()).isEqualTo(3);
    }

    @Test
    void bracketsThatAreNotCitationsStayAsTheyAre() {
        Citations.Resolved r = Citations.resolve("Use arr[i] and [see docs] or [x, y].", SOURCES);

        assertThat(r.text()).isEqualTo("Use arr[i] and [see docs] or [x, y].");
        assertThat(r.cited()).isEmpty();
        assertThat(r.removed()).isZero();
    }

    private static Source source(int n, String path) {
        return new Source(n, path, "T" + n, "", 0, 0, 1.0, "text " + n);
    }
}
