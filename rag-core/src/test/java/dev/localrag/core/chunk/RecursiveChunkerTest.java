package dev.localrag.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.localrag.core.config.ChunkingSettings;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecursiveChunkerTest {

    private static final HuggingFaceTokenCountEstimator TOKENS = new HuggingFaceTokenCountEstimator();

    @Test
    void blankTextHasNoChunks() {
        RecursiveChunker chunker = new RecursiveChunker(new ChunkingSettings(100, 10), TOKENS);

        assertThat(chunker.split("")).isEmpty();
        assertThat(chunker.split("  \n\n ")).isEmpty();
    }

    @Test
    void shortTextIsOneChunk() {
        RecursiveChunker chunker = new RecursiveChunker(new ChunkingSettings(100, 10), TOKENS);

        assertThat(chunker.split("  Ollama listens on port 11434.  ")).containsExactly("Ollama listens on port 11434.");
    }

    @Test
    void longTextIsCutIntoChunksWithinTheTokenLimitAndKeepsEveryParagraph() {
        // given 40 distinct paragraphs of ~25 tokens each
        String text = IntStream.range(0, 40)
                .mapToObj(i -> "Paragraph " + i + " explains topic number " + i
                        + " in a few plain sentences. It has some detail. And one more line of words here.")
                .collect(Collectors.joining("\n\n"));
        RecursiveChunker chunker = new RecursiveChunker(new ChunkingSettings(120, 15), TOKENS);

        // when split
        List<String> chunks = chunker.split(text);

        // then no chunk exceeds the limit, there are several, and every paragraph survives
        assertThat(chunks).hasSizeGreaterThan(5);
        assertThat(chunks)
                .allSatisfy(c -> assertThat(TOKENS.estimateTokenCountInText(c)).isLessThanOrEqualTo(120));
        String joined = String.join("\n", chunks);
        for (int i = 0; i < 40; i++) {
            assertThat(joined).contains("Paragraph " + i + " explains topic number " + i + " ");
        }
        assertThat(chunker.describe()).isEqualTo("recursive:120/15");
    }

    @Test
    void neighbouringChunksOverlap() {
        String text = IntStream.range(0, 200)
                .mapToObj(i -> "Sentence " + i + " is here.")
                .collect(Collectors.joining(" "));
        RecursiveChunker chunker = new RecursiveChunker(new ChunkingSettings(100, 30), TOKENS);

        List<String> chunks = chunker.split(text);

        assertThat(chunks).hasSizeGreaterThan(2);
        for (int i = 1; i < chunks.size(); i++) {
            String previousEnd = chunks.get(i - 1).substring(chunks.get(i - 1).length() - 15);
            assertThat(chunks.get(i))
                    .as("chunk %d starts with the end of chunk %d", i, i - 1)
                    .contains(previousEnd);
        }
    }
}
