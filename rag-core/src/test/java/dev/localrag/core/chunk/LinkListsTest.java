package dev.localrag.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LinkListsTest {

    @Test
    void aListOfLinksIsAllLinkList() {
        String seeAlso = """
                Quokka › See also

                - [Rottnest Island](https://en.wikipedia.org/wiki/Rottnest_Island)
                - [Macropodidae](https://en.wikipedia.org/wiki/Macropodidae)
                * https://www.example.org/quokkas
                """;

        assertThat(LinkLists.share(seeAlso)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void proseWithALinkInItIsNotALinkList() {
        String prose = "Quokka › Habitat\n\nThe quokka lives on [Rottnest Island](https://x.org/r), off the coast"
                + " of Western Australia, in scrub and forest where it shelters by day.";

        assertThat(LinkLists.share(prose)).isZero();
        assertThat(LinkLists.share("A plain paragraph without links.")).isZero();
        assertThat(LinkLists.share("")).isZero();
    }

    @Test
    void theShareCountsCharactersOfLinkLines() {
        // one link line of 20 characters, one prose line of 20 characters
        String mixed = "[twenty char](x.io/)\nProse line, 20 chars";

        assertThat(LinkLists.share(mixed)).isCloseTo(0.5, within(1e-9));
    }
}
