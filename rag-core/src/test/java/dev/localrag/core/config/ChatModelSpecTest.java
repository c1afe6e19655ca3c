package dev.localrag.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ChatModelSpecTest {

    @Test
    void aBareNameAndAnOllamaPrefixNameAnOllamaModel() {
        ChatModelSpec bare = ChatModelSpec.parse("qwen3:4b");
        ChatModelSpec prefixed = ChatModelSpec.parse(" ollama:qwen3:4b ");

        assertThat(bare).isEqualTo(prefixed);
        assertThat(bare.provider()).isEqualTo(ChatModelSpec.Provider.OLLAMA);
        assertThat(bare.model()).isEqualTo("qwen3:4b");
        assertThat(bare.baseUrl()).isNull();
        assertThat(bare).hasToString("qwen3:4b");
    }

    @Test
    void anOpenAiSpecNamesTheModelAndTheServerAndRoundTrips() {
        ChatModelSpec spec = ChatModelSpec.parse("openai:qwen3:4b@http://localhost:8000/v1/");

        assertThat(spec.provider()).isEqualTo(ChatModelSpec.Provider.OPENAI);
        assertThat(spec.model()).isEqualTo("qwen3:4b");
        assertThat(spec.baseUrl()).isEqualTo(URI.create("http://localhost:8000/v1"));
        assertThat(ChatModelSpec.parse(spec.toString())).isEqualTo(spec);
        assertThat(spec.openAiTarget().model()).isEqualTo("qwen3:4b");
    }

    @Test
    void malformedSpecsAreConfigurationErrorsThatSayWhatToWrite() {
        assertThatThrownBy(() -> ChatModelSpec.parse(" "))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ollama.chatModel")
                .hasMessageContaining("openai:MODEL@URL");
        assertThatThrownBy(() -> ChatModelSpec.parse("ollama:"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("names no model");
        assertThatThrownBy(() -> ChatModelSpec.parse("openai:gpt@ftp://x"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("http://");
    }

    @Test
    void theSettingsParseTheSpecOnce() {
        OllamaSettings settings = OllamaSettings.builder()
                .chatModel("openai:m@http://127.0.0.1:1/v1")
                .build();

        assertThat(settings.chatModel().provider()).isEqualTo(ChatModelSpec.Provider.OPENAI);
        assertThat(settings.withChatModel("llama3").chatModel()).isEqualTo(ChatModelSpec.ollama("llama3"));
    }
}
