package dev.localrag.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.config.ChunkingSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class BreadcrumbTest {

    @Test
    void readsBackTheSectionTheStructuredChunkerWrote() {
        // given chunks written by the structured chunker
        String markdown = "# Networking\n\n## Changing the port\n\nSet OLLAMA_HOST to change the port.\n";
        List<Chunk> chunks = new StructuredChunker(new ChunkingSettings(200, 20)).chunk("faq.mdx", markdown);

        // when their breadcrumb is read back from the stored text
        Chunk last = chunks.getLast();
        Breadcrumb where = Breadcrumb.of("faq.mdx", last.text());

        // then it is the chunker's breadcrumb without the file name
        assertThat(last.breadcrumb()).isEqualTo("faq.mdx › Networking › Changing the port");
        assertThat(where).isEqualTo(new Breadcrumb("Networking › Changing the port", 0));
    }

    @Test
    void pagesAreReadFromTheEnd() {
        assertThat(Breadcrumb.of("report.pdf", "report.pdf › Results › pp. 3–4\n\ntext"))
                .isEqualTo(new Breadcrumb("Results", 3));
        assertThat(Breadcrumb.of("report.pdf", "report.pdf › p. 7\n\ntext")).isEqualTo(new Breadcrumb("", 7));
    }

    @Test
    void aFirstLineThatIsNotABreadcrumbIsNone() {
        assertThat(Breadcrumb.of("faq.mdx", "Plain text › with an arrow")).isEqualTo(Breadcrumb.NONE);
        assertThat(Breadcrumb.of("", "faq.mdx › A")).isEqualTo(Breadcrumb.NONE);
    }

    @Test
    void theRootOfADocumentIdIsItsFileNameOrEmbeddedPath() {
        assertThat(Breadcrumb.rootOf("/docs/faq.mdx")).isEqualTo("faq.mdx");
        assertThat(Breadcrumb.rootOf("/mail/in.eml!/report.pdf")).isEqualTo("in.eml!/report.pdf");
    }

    @Test
    void rerootChangesOnlyABreadcrumbUnderTheOldName() {
        assertThat(Breadcrumb.reroot("notes.md › Ideas\n\ntext", "notes.md", "ideas.md"))
                .isEqualTo("ideas.md › Ideas\n\ntext");
        assertThat(Breadcrumb.reroot("notes.md\n\ntext", "notes.md", "ideas.md"))
                .isEqualTo("ideas.md\n\ntext");
        assertThat(Breadcrumb.reroot("mail.eml!/a.pdf › p. 2\n\nx", "mail.eml!/a.pdf", "box.eml!/a.pdf"))
                .isEqualTo("box.eml!/a.pdf › p. 2\n\nx");
        // a chunk that merely starts with the name (no breadcrumb) keeps its text
        assertThat(Breadcrumb.reroot("notes.md is where ideas go", "notes.md", "ideas.md"))
                .isEqualTo("notes.md is where ideas go");
        assertThat(Breadcrumb.reroot("notes.mdx › A\n\ntext", "notes.md", "ideas.md"))
                .isEqualTo("notes.mdx › A\n\ntext");
    }

    @Test
    void theRootIsTheTitleUnlessThereIsNoneOrItIsTheFileName() {
        assertThat(Breadcrumb.rootFor("Ollama  FAQ\n", "faq.mdx")).isEqualTo("Ollama FAQ");
        assertThat(Breadcrumb.rootFor(" ", "faq.mdx")).isEqualTo("faq.mdx");
        assertThat(Breadcrumb.rootFor(null, "faq.mdx")).isEqualTo("faq.mdx");
        assertThat(Breadcrumb.rootFor("report.pdf", "in.eml!/report.pdf")).isEqualTo("in.eml!/report.pdf");
    }

    @Test
    void aStoredChunkIsReadUnderItsTitleOrUnderItsFileNameAsOlderIndexesWroteIt() {
        // given a chunk of a titled document written now, and one written before titles led breadcrumbs
        List<Chunk> chunks = new StructuredChunker(new ChunkingSettings(200, 20))
                .chunk(Breadcrumb.rootFor("Ollama FAQ", "faq.mdx"), "## Networking\n\nSet OLLAMA_HOST.\n");
        String older = "faq.mdx › Networking\n\nSet OLLAMA_HOST.";

        // when their sections are read back
        // then both name the section
        assertThat(chunks.getFirst().breadcrumb()).isEqualTo("Ollama FAQ › Networking");
        assertThat(Breadcrumb.of(
                        "/docs/faq.mdx", "Ollama FAQ", chunks.getFirst().text()))
                .isEqualTo(new Breadcrumb("Networking", 0));
        assertThat(Breadcrumb.of("/docs/faq.mdx", "Ollama FAQ", older)).isEqualTo(new Breadcrumb("Networking", 0));
    }
}
