package dev.localrag.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import org.junit.jupiter.api.Test;

class EmbedderSpecTest {

    @Test
    void modelMayContainColons() {
        EmbedderSpec spec = EmbedderSpec.parse("ollama:qwen3-embedding:0.6b-q8_0");

        assertThat(spec.provider()).isEqualTo(EmbedderSpec.Provider.OLLAMA);
        assertThat(spec.model()).isEqualTo("qwen3-embedding:0.6b-q8_0");
        assertThat(spec).hasToString("ollama:qwen3-embedding:0.6b-q8_0");
    }

    @Test
    void unknownProviderIsNamed() {
        assertThatThrownBy(() -> EmbedderSpec.parse("hf:bge"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("\"hf\"")
                .hasMessageContaining("onnx, ollama");
    }

    @Test
    void missingModelIsAnError() {
        assertThatThrownBy(() -> EmbedderSpec.parse("onnx:"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("PROVIDER:MODEL");
    }

    @Test
    void unknownOnnxModelListsTheAvailableOnes() {
        assertThatThrownBy(() -> OnnxEmbedder.create(EmbedderSpec.parse("onnx:nope")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("onnx:bge-small-en-v1.5");
    }
}
