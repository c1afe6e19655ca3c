package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.answer.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

class CitationsTest {

    private static final List<Source> SOURCES = List.of(
            new Source(1, "/docs/a.md", "A", "", 0, 0, 0.9, "alpha"),
            new Source(2, "/docs/b.md", "B", "", 0, 3, 0.8, "beta"));

    @Test
    void mapsEachMarkerToItsSourceInOrderOfFirstCitation() {
        Citations.Resolved r = Citations.resolve("Beta says so [2], alpha agrees [1] and again [2].", SOURCES);

        assertThat(r.text()).isEqualTo("Beta says so [2], alpha agrees [1] and again [2].");
        assertThat(r.citations()).extracting(Citations.Citation::n).containsExactly(2, 1);
        assertThat(r.citations().getFirst().path()).isEqualTo("/docs/b.md");
        assertThat(r.citations().getFirst().chunk()).isEqualTo(3);
        assertThat(r.removedMarkers()).isZero();
    }

    @Test
    void removesAndCountsMarkersThatPointToNoSource() {
        Citations.Resolved r = Citations.resolve("Made up [7]. Real [1][9]. Grouped [2, 5, 1].", SOURCES);

        assertThat(r.text()).isEqualTo("Made up. Real [1]. Grouped [2, 1].");
        assertThat(r.removedMarkers()).isEqualTo(3);
        assertThat(r.citations()).extracting(Citations.Citation::n).containsExactly(1, 2);
    }

    @Test
    void leavesTextWithoutMarkersAlone() {
        Citations.Resolved r = Citations.resolve("No citations here, only [brackets].", SOURCES);

        assertThat(r.text()).isEqualTo("No citations here, only [brackets].");
        assertThat(r.citations()).isEmpty();
        assertThat(r.removedMarkers()).isZero();
    }
}
