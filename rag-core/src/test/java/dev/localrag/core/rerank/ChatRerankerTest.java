package dev.localrag.core.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ModelProtocolException;
import dev.localrag.core.answer.Cancellation;
import dev.localrag.core.answer.Generation;
import dev.localrag.core.answer.Generator;
import dev.localrag.core.answer.Generators;
import dev.localrag.core.answer.Turn;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.testing.OllamaTestServer;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The chat model as a listwise reranker, against the Ollama test server (whose "model" names the
 * passages sharing words with the question, most first): tests the prompt, the round trip and the
 * parsing, not how well a real chat model ranks.
 */
class ChatRerankerTest {

    private static final List<SearchHit> HITS = List.of(
            new SearchHit("/d/cat.md", "Cats", 0, "The cat sleeps all day.", 0.9),
            new SearchHit("/d/wine.md", "Wine", 0, "Port wine comes from Portugal.", 0.8),
            new SearchHit("/d/faq.md", "FAQ", 3, "Ollama listens on port 11434; OLLAMA_HOST changes the port.", 0.7));

    @Test
    void theChatModelsOrderRanksThePassagesAndTheRestFollowInRetrievalOrder() {
        try (OllamaTestServer server =
                        OllamaTestServer.builder().models("qwen3:4b").build();
                OllamaClient client = new OllamaClient(settings(server))) {
            Reranker reranker = Rerankers.parse("chat", null, () -> Generators.create(settings(server), client));

            List<SearchHit> out = reranker.rerank("Which port does Ollama listen on?", HITS, 3);

            // the model named [3] (port, ollama) then [2] (port); the cat passage follows unscored
            assertThat(out).extracting(SearchHit::documentId).containsExactly("/d/faq.md", "/d/wine.md", "/d/cat.md");
            assertThat(out).extracting(SearchHit::score).containsExactly(1.0, 0.5, 0.9);
            String prompt = server.requests("/api/chat")
                    .getFirst()
                    .body()
                    .path("messages")
                    .get(1)
                    .path("content")
                    .asText();
            assertThat(prompt)
                    .startsWith(
                            "Question: Which port does Ollama listen on?\n\nPassages:\n[1] The cat sleeps all day.\n")
                    .contains("[3] Ollama listens on port 11434; OLLAMA_HOST changes the port.\n");
            assertThat(reranker.describe()).isEqualTo("chat:qwen3:4b");
        }
    }

    @Test
    void theReplyIsReadForPassageNumbersOnly() {
        assertThat(ChatReranker.parseOrder("<think>maybe 1</think>3, 1, 3, 7, 0 and then 2", 3))
                .containsExactly(2, 0, 1);
        assertThat(ChatReranker.parseOrder("none of them", 3)).isEmpty();
        assertThat(new ChatReranker(answering("None of the passages help.")).score("q", List.of("a", "b")))
                .isEmpty();
    }

    @Test
    void aReplyNamingOnlyPassagesThatDoNotExistIsAProtocolError() {
        ChatReranker reranker = new ChatReranker(answering("7, 9"));

        assertThatThrownBy(() -> reranker.score("q", List.of("a", "b")))
                .isInstanceOf(ModelProtocolException.class)
                .hasMessageContaining("ranked passages that do not exist (there were 2)");
    }

    private static OllamaSettings settings(OllamaTestServer server) {
        return OllamaSettings.builder()
                .baseUrl(server.baseUrl())
                .chatModel("qwen3:4b")
                .maxRetries(0)
                .build();
    }

    /** A chat model that always gives {@code reply}. */
    private static Generator answering(String reply) {
        return new Generator() {
            @Override
            public String model() {
                return "fixed";
            }

            @Override
            public Generation stream(
                    String systemPrompt,
                    List<Turn> history,
                    String userMessage,
                    Consumer<String> onToken,
                    Cancellation cancellation) {
                onToken.accept(reply);
                return new Generation(reply, true, 1);
            }
        };
    }
}
