package dev.localrag.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.testing.OllamaTestServer;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one chat-model check: the right server is asked, and the notice says what to do. */
class ChatAvailabilityTest {

    @Test
    void anOllamaModelIsAvailableWhenOllamaHasIt() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("chat:1b"), 8)) {
            OllamaSettings settings = OllamaSettings.builder()
                    .baseUrl(ollama.baseUrl())
                    .chatModel("chat:1b")
                    .build();

            ChatAvailability.Status status = new ChatAvailability(settings).check();

            assertThat(status.available()).isTrue();
            assertThat(status.notice()).isEmpty();
            assertThat(ollama.requests("/api/tags")).isNotEmpty();
        }
    }

    @Test
    void aMissingOllamaModelSaysWhichPullToRun() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("other:1b"), 8)) {
            OllamaSettings settings = OllamaSettings.builder()
                    .baseUrl(ollama.baseUrl())
                    .chatModel("chat:1b")
                    .build();

            ChatAvailability.Status status = new ChatAvailability(settings).check();

            assertThat(status.available()).isFalse();
            assertThat(status.notice()).contains("ollama pull chat:1b");
        }
    }

    @Test
    void ollamaNotRunningSaysHowToStartIt() {
        OllamaSettings settings = OllamaSettings.builder()
                .baseUrl(URI.create("http://127.0.0.1:9"))
                .chatModel("chat:1b")
                .build();

        ChatAvailability.Status status = new ChatAvailability(settings).check();

        assertThat(status.available()).isFalse();
        assertThat(status.notice()).contains("ollama serve").contains("http://127.0.0.1:9");
    }

    @Test
    void anOpenAiModelIsCheckedAtItsOwnServerNotAtOllama() throws Exception {
        try (OllamaTestServer server = new OllamaTestServer(Set.of("m"), 8)) {
            // given Ollama is not running, and the chat model lives on an OpenAI-compatible server
            OllamaSettings settings = OllamaSettings.builder()
                    .baseUrl(URI.create("http://127.0.0.1:9"))
                    .chatModel("openai:m@" + server.baseUrl() + "/v1")
                    .build();

            ChatAvailability.Status status = new ChatAvailability(settings).check();

            // then it is available: /v1/models answered, and Ollama was never the question
            assertThat(status.available()).as(status.notice()).isTrue();
            assertThat(status.server()).isEqualTo(URI.create(server.baseUrl() + "/v1"));
            assertThat(server.requests("/v1/models")).hasSize(1);
        }
    }

    @Test
    void anUnreachableOpenAiServerIsNamedInTheNotice() {
        OllamaSettings settings = OllamaSettings.builder()
                .chatModel("openai:m@http://127.0.0.1:9/v1")
                .build();

        ChatAvailability.Status status = new ChatAvailability(settings).check();

        assertThat(status.available()).isFalse();
        assertThat(status.notice()).contains("OpenAI-compatible server at http://127.0.0.1:9/v1");
    }
}
