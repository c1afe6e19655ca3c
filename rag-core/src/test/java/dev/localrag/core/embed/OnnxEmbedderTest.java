package dev.localrag.core.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxEmbedderTest {

    private static final List<String> TEXTS = List.of(
            "Short.",
            "Ollama listens on port 11434 by default; set OLLAMA_HOST to bind another address.",
            "Alterations of the architecture of cerebral white matter in the developing human brain can affect"
                    + " cortical development and result in functional disabilities. A line scan diffusion-weighted"
                    + " magnetic resonance imaging sequence with diffusion tensor analysis was applied.",
            "向量索引把文本变成向量，然后按余弦相似度检索最相关的段落。",
            // longer than the model's 512 positions: split into windows like LangChain4j does
            "The quick brown fox jumps over the lazy dog near the riverbank. ".repeat(60));

    @ParameterizedTest
    @ValueSource(strings = {"bge-small-en-v1.5", "all-minilm-l6-v2"})
    void givenShippedModel_whenEmbeddingTextsOfMixedLengths_thenVectorsEqualLangChain4jsOwn(String model) {
        EmbeddingModel theirs = OnnxEmbedder.langChain4jModel(model);
        try (OnnxEmbedder ours = OnnxEmbedder.create(new EmbedderSpec(EmbedderSpec.Provider.ONNX, model))) {
            List<float[]> ourVectors = ours.embedDocuments(TEXTS);
            List<float[]> theirVectors =
                    theirs.embedAll(TEXTS.stream().map(TextSegment::from).toList()).content().stream()
                            .map(e -> e.vector())
                            .toList();

            assertThat(ourVectors).hasSize(TEXTS.size());
            assertThat(ours.dimension()).isEqualTo(theirs.dimension());
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(OnnxEmbedBenchmark.cosine(ourVectors.get(i), theirVectors.get(i)))
                        .as("cosine of text %d", i)
                        .isGreaterThanOrEqualTo(0.999);
                assertThat(OnnxEmbedBenchmark.cosine(ourVectors.get(i), ourVectors.get(i)))
                        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
            // a text's vector does not depend on the texts embedded with it
            assertThat(ours.embedDocuments(List.of(TEXTS.get(1))).get(0)).containsExactly(ourVectors.get(1));
        }
    }
}
