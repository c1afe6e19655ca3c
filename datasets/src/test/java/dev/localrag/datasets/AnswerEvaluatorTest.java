package dev.localrag.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.OllamaGenerator;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.retrieval.Retriever;
import dev.localrag.core.testing.HashingEmbedder;
import dev.localrag.core.testing.OllamaTestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Answer evaluation against the project's Ollama test server (a real HTTP server, no Ollama). */
class AnswerEvaluatorTest {

    private static final String MODEL = "qwen3:4b-instruct-2507-q4_K_M";

    @TempDir
    Path tmp;

    @Test
    void scoresTheChatModelsAnswersAndCitations() throws Exception {
        // given the tiny dataset indexed, and a chat model that cites every source it is given
        BeirDataset data = BeirDataset.load(TinyBeir.write(tmp.resolve("tiny")));
        HashingEmbedder embedder = new HashingEmbedder(64);
        List<String> progress = new ArrayList<>();
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of(MODEL), 8);
                EvalIndex index = EvalIndex.openOrBuild(
                        data, embedder, PassageLayout.WHOLE, tmp.resolve("cache"), progress::add)) {
            OllamaSettings settings = settings(ollama.baseUrl());
            AnswerService service =
                    new AnswerService(new Retriever(index.index(), embedder), new OllamaGenerator(settings), "");

            // when asked with k = 2 in keyword mode
            AnswerResult result =
                    new AnswerEvaluator(service, MODEL, SearchMode.KEYWORD, 2).evaluate(data.queries(), progress::add);

            // then
            assertThat(result.questions()).isEqualTo(3);
            assertThat(ollama.requests("/api/chat")).hasSize(3);
            // "According to your documents, the answer is in these sources [1][2]." is no gold answer
            assertThat(result.exactMatch()).isZero();
            assertThat(result.containsGold()).isZero();
            assertThat(result.notFoundRate()).isZero();
            // 9 answer tokens (according to your documents answer is in these sources), none a gold token
            assertThat(result.tokenF1()).isZero();
            // each answer cites every retrieved document; one of them is the relevant one
            Retriever retriever = new Retriever(index.index(), embedder);
            double expected = 0;
            for (JudgedQuery q : data.queries()) {
                List<SearchHit> hits = retriever.retrieve(q.text(), SearchMode.KEYWORD, 2);
                assertThat(hits)
                        .extracting(SearchHit::documentId)
                        .contains(q.relevance().keySet().iterator().next());
                expected += 1.0 / hits.size();
            }
            assertThat(result.citingAnswers()).isEqualTo(3);
            assertThat(result.citationPrecision()).isCloseTo(expected / 3, within(1e-12));
            assertThat(result.citationPrecision()).isLessThan(1.0);
            assertThat(result.model()).isEqualTo(MODEL);
        }
    }

    @Test
    void withoutAWorkingChatModelItFailsInsteadOfScoringThePassages() throws Exception {
        BeirDataset data = BeirDataset.load(TinyBeir.write(tmp.resolve("tiny")));
        HashingEmbedder embedder = new HashingEmbedder(64);
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("some-other-model"), 8);
                EvalIndex index =
                        EvalIndex.openOrBuild(data, embedder, PassageLayout.WHOLE, tmp.resolve("cache"), s -> {})) {
            AnswerService service = new AnswerService(
                    new Retriever(index.index(), embedder), new OllamaGenerator(settings(ollama.baseUrl())), "");

            assertThatThrownBy(() -> new AnswerEvaluator(service, MODEL, SearchMode.KEYWORD, 2)
                            .evaluate(data.queries(), s -> {}))
                    .isInstanceOf(ModelUnavailableException.class)
                    .hasMessageContaining("needs the chat model " + MODEL);
        }
    }

    private static OllamaSettings settings(URI baseUrl) {
        return new OllamaSettings(
                baseUrl, MODEL, OllamaSettings.DEFAULT_EMBEDDING_MODEL, Duration.ofSeconds(10), Duration.ofSeconds(1));
    }
}
