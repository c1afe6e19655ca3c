package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.chunk.LinkLists;
import org.junit.jupiter.api.Test;
import org.xml.sax.helpers.AttributesImpl;

class MarkdownContentHandlerTest {

    private final MarkdownContentHandler handler = new MarkdownContentHandler(100_000);

    @Test
    void aListItemThatIsMostlyALinkBecomesAMarkdownLink() {
        // given a "See also" list and a paragraph with a link in it
        start("h2");
        text("See also");
        end("h2");
        start("ul");
        item("https://en.wikipedia.org/wiki/Rottnest_Island", "Rottnest Island", "");
        item("/wiki/Wallaby", "Wallaby", " (wiki)");
        item("/wiki/Quokka", "Quokka", ", a small wallaby of south-western Australia");
        item(null, "Kangaroo Island", "");
        end("ul");
        start("p");
        text("The quokka lives on ");
        link("/wiki/Rottnest_Island", "Rottnest Island");
        text(", off the coast of Western Australia.");
        end("p");

        // when the XHTML has been read
        String markdown = handler.toString();

        // then the link items are Markdown links, the rest plain text
        assertThat(markdown)
                .contains("- [Rottnest Island](https://en.wikipedia.org/wiki/Rottnest_Island)\n")
                .contains("- [Wallaby (wiki)](/wiki/Wallaby)\n")
                .contains("- Quokka, a small wallaby of south-western Australia\n")
                .contains("- Kangaroo Island\n")
                .contains("The quokka lives on Rottnest Island, off the coast");
        assertThat(LinkLists.share(markdown.substring(0, markdown.indexOf("The quokka"))))
                .isGreaterThan(0.5);
    }

    private void item(String href, String linkText, String after) {
        start("li");
        if (href == null) {
            text(linkText);
        } else {
            link(href, linkText);
        }
        text(after);
        end("li");
    }

    private void link(String href, String text) {
        AttributesImpl atts = new AttributesImpl();
        atts.addAttribute("", "href", "href", "CDATA", href);
        handler.startElement("", "a", "a", atts);
        text(text);
        end("a");
    }

    private void start(String name) {
        handler.startElement("", name, name, new AttributesImpl());
    }

    private void end(String name) {
        handler.endElement("", name, name);
    }

    private void text(String s) {
        handler.characters(s.toCharArray(), 0, s.length());
    }
}
