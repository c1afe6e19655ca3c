package dev.localrag.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.localrag.core.config.ChunkingSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructuredChunkerTest {

    private static final HuggingFaceTokenCountEstimator TOKENS = new HuggingFaceTokenCountEstimator();

    @Test
    void headingsBecomeTheBreadcrumbStoredWithEachChunk() {
        // given a Markdown document with nested sections
        String text = """
                # FAQ

                Intro text about the FAQ.

                ## Networking

                ### Changing the port

                Set OLLAMA_HOST to change the port.

                ## GPUs

                CUDA is supported.
                """;

        // when it is chunked
        List<Chunk> chunks = new StructuredChunker(new ChunkingSettings(64, 8)).chunk("faq.mdx", text);

        // then each section is its own chunk, starting with its breadcrumb
        assertThat(chunks)
                .extracting(Chunk::breadcrumb)
                .containsExactly(
                        "faq.mdx › FAQ", "faq.mdx › FAQ › Networking › Changing the port", "faq.mdx › FAQ › GPUs");
        assertThat(chunks.get(1).text())
                .isEqualTo("faq.mdx › FAQ › Networking › Changing the port\n\nSet OLLAMA_HOST to change the port.");
        assertThat(chunks).allSatisfy(c -> assertThat(c.firstPage()).isZero());
    }

    @Test
    void aFirstHeadingThatRepeatsTheTitleIsNotRepeatedInTheBreadcrumb() {
        // given a document whose title was read from its H1
        String text = "# Quarterly Report\n\n## Results\n\nSales rose.\n";

        // when it is chunked under its title
        List<Chunk> chunks = new StructuredChunker(new ChunkingSettings(200, 0)).chunk("Quarterly report", text);

        // then the breadcrumb starts with the title once
        assertThat(chunks).extracting(Chunk::breadcrumb).containsExactly("Quarterly report › Results");
    }

    @Test
    void longSectionsSplitAtSentencesWithinTheTokenLimitAndOverlap() {
        // given one long section of numbered sentences
        StringBuilder text = new StringBuilder("# Long\n\n");
        for (int i = 0; i < 200; i++) {
            text.append("Sentence number ").append(i).append(" talks about llamas and alpacas. ");
        }
        ChunkingSettings settings = new ChunkingSettings(64, 16);

        // when it is chunked
        List<Chunk> chunks = new StructuredChunker(settings).chunk("long.md", text.toString());

        // then every chunk fits the limit (breadcrumb included), ends at a sentence end, and shares a sentence with
        // the previous chunk
        assertThat(chunks).hasSizeGreaterThan(10);
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertThat(TOKENS.estimateTokenCountInText(c.text())).isLessThanOrEqualTo(64);
            assertThat(c.text()).startsWith("long.md › Long\n\n").endsWith("alpacas.");
            if (i > 0) {
                String body = c.text().substring("long.md › Long\n\n".length());
                String firstSentence = body.substring(0, body.indexOf('.') + 1);
                assertThat(chunks.get(i - 1).text()).contains(firstSentence);
            }
        }
        assertThat(String.join(" ", chunks.stream().map(Chunk::text).toList())).contains("Sentence number 199 ");
    }

    @Test
    void chineseTextSplitsAtChinesePunctuation() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            text.append("羊驼是一种生活在南美洲的动物，它们非常温顺。");
        }

        List<Chunk> chunks = new StructuredChunker(new ChunkingSettings(64, 0)).chunk("", text.toString());

        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(TOKENS.estimateTokenCountInText(c.text())).isLessThanOrEqualTo(64);
            assertThat(c.text()).startsWith("羊驼").endsWith("。");
        });
    }

    @Test
    void codeBlocksAndTablesStayWholeWhenTheyFit() {
        String text = """
                # Setup

                Some words before the code. More words here to pad the paragraph out a bit further along.

                ```sh
                export OLLAMA_HOST=0.0.0.0:8080

                ollama serve
                ```

                | setting | default |
                | --- | --- |
                | port | 11434 |

                Words after.
                """;

        List<Chunk> chunks = new StructuredChunker(new ChunkingSettings(48, 0)).chunk("setup.md", text);

        assertThat(chunks)
                .anySatisfy(c ->
                        assertThat(c.text()).contains("```sh\nexport OLLAMA_HOST=0.0.0.0:8080\n\nollama serve\n```"));
        assertThat(chunks)
                .anySatisfy(
                        c -> assertThat(c.text()).contains("| setting | default |\n| --- | --- |\n| port | 11434 |"));
        assertThat(chunks).noneSatisfy(c -> assertThat(c.text()).contains("# Setup\n"));
    }

    @Test
    void formFeedsMarkPagesThatChunksCarry() {
        String text = "\fFirst page text about llamas.\n\fSecond page text about alpacas.\n\fThird page.";

        List<Chunk> chunks = new StructuredChunker(new ChunkingSettings(32, 0)).chunk("report.pdf", text);

        assertThat(chunks).isNotEmpty();
        assertThat(chunks.getFirst().firstPage()).isEqualTo(1);
        assertThat(chunks.getLast().lastPage()).isEqualTo(3);
        assertThat(chunks.getFirst().breadcrumb()).startsWith("report.pdf › p");
        assertThat(String.join("\n", chunks.stream().map(Chunk::text).toList()))
                .contains("First page text about llamas.")
                .contains("Third page.");
    }

    @Test
    void aDocumentOfHeadingsOnlyStillHasItsText() {
        List<Chunk> chunks =
                new StructuredChunker(new ChunkingSettings(64, 0)).chunk("toc.md", "# Contents\n\n## Part one\n");

        assertThat(chunks).singleElement().satisfies(c -> assertThat(c.text()).contains("Part one"));
    }

    @Test
    void blankTextHasNoChunks() {
        assertThat(new StructuredChunker(ChunkingSettings.DEFAULT).chunk("x", "  \n\f "))
                .isEmpty();
        assertThat(new StructuredChunker(ChunkingSettings.DEFAULT).describe()).isEqualTo("structured:400/50");
    }
}
