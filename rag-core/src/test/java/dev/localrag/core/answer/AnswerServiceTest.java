package dev.localrag.core.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.config.AnswerSettings;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.retrieval.Retrieval;
import dev.localrag.core.retrieval.Retriever;
import dev.localrag.core.testing.HashingEmbedder;
import dev.localrag.core.testing.OllamaTestServer;
import dev.localrag.core.text.TokenEstimate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerServiceTest {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(256);
    /** HashingEmbedder similarities: shared words give ~0.3-0.8, none give ~0. */
    private static final AnswerSettings SETTINGS = new AnswerSettings(8192, 1024, 0.2, true);

    @TempDir
    Path dir;

    private LuceneVectorIndex index;
    private Retriever retriever;

    @BeforeEach
    void indexThreeDocuments() {
        index = LuceneVectorIndex.open(dir, IndexManifest.of(EMBEDDER.spec(), 256, "test"));
        add("/docs/faq.md", "FAQ", "Ollama binds 127.0.0.1 port 11434 by default. Change it with OLLAMA_HOST.");
        add("/docs/gpu.md", "GPU", "Nvidia GPUs with compute capability 5.0 and newer are supported.");
        add("/docs/zh.md", "端口", "Ollama 默认 监听 端口 11434 。 使用 OLLAMA_HOST 更改 端口 。");
        index.commit();
        retriever = new Retriever(index, EMBEDDER);
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void withoutAGeneratorTheAnswerIsTheRetrievedPassagesWithCitations() {
        AnswerService service = new AnswerService(retriever, null, "Ollama is not running", SETTINGS);
        Recorder recorder = new Recorder();

        Answer answer =
                service.ask(AnswerRequest.of("Which port does Ollama use?").withK(2), recorder);

        assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(answer.notice()).isEqualTo("Ollama is not running");
        assertThat(answer.sources()).extracting(Source::n).containsExactly(1, 2);
        assertThat(answer.sources().getFirst().path()).isEqualTo("/docs/faq.md");
        assertThat(answer.citations()).extracting(Citation::path).startsWith("/docs/faq.md");
        assertThat(answer.text()).contains("[1] /docs/faq.md (chunk 0)").contains("port 11434");
        assertThat(recorder.events).containsExactly("retrieved:2", "complete:EXTRACTIVE");
    }

    @Test
    void eventsComeInOrderSourcesTokensCompleteAndCitationsMapToSources() {
        FakeGenerator generator = new FakeGenerator("Port ", "11434 [1]", ". Not [5].");
        AnswerService service = new AnswerService(retriever, generator, "", SETTINGS);
        Recorder recorder = new Recorder();

        Answer answer =
                service.ask(AnswerRequest.of("Which port does Ollama use?").withK(2), recorder);

        assertThat(recorder.events)
                .containsExactly(
                        "retrieved:2", "token:Port ", "token:11434 [1]", "token:. Not [5].", "complete:GENERATED");
        assertThat(answer.kind()).isEqualTo(Answer.Kind.GENERATED);
        assertThat(answer.complete()).isTrue();
        assertThat(answer.text()).isEqualTo("Port 11434 [1]. Not.");
        assertThat(answer.removedMarkers()).isEqualTo(1);
        assertThat(answer.citations()).singleElement().satisfies(c -> {
            assertThat(c.n()).isEqualTo(1);
            assertThat(c.path()).isEqualTo("/docs/faq.md");
            assertThat(c.title()).isEqualTo("FAQ");
            assertThat(c.snippet()).contains("11434");
        });
        assertThat(answer.sources()).hasSize(2);
        assertThat(answer.timings().firstTokenMillis()).isGreaterThanOrEqualTo(0);
        assertThat(answer.timings().totalMillis())
                .isGreaterThanOrEqualTo(answer.timings().firstTokenMillis());
        // the prompt carries the numbered sources, the question and the rules
        assertThat(generator.userMessages.getLast())
                .contains("[1] FAQ (/docs/faq.md, chunk 0)")
                .contains("Which port does Ollama use?");
        assertThat(generator.systemPrompts.getLast()).contains("cite").doesNotContain("{{");
    }

    @Test
    void nothingRelevantMeansNotFoundWithoutCallingTheModel() {
        FakeGenerator generator = new FakeGenerator("should not be called");
        AnswerService service = new AnswerService(retriever, generator, "", SETTINGS);
        Recorder recorder = new Recorder();

        Answer answer = service.ask(AnswerRequest.of("sourdough baking temperature"), recorder);

        assertThat(answer.kind()).isEqualTo(Answer.Kind.NOT_FOUND);
        assertThat(answer.text()).startsWith("Not found in your documents");
        assertThat(answer.sources()).isEmpty();
        assertThat(generator.calls).isZero();
        assertThat(recorder.events).containsExactly("retrieved:0", "complete:NOT_FOUND");
    }

    @Test
    void aChineseQuestionGetsTheChineseInstructionAndNotFoundMessage() {
        FakeGenerator generator = new FakeGenerator("端口是 11434 [1]。");
        AnswerService service = new AnswerService(retriever, generator, "", SETTINGS);

        Answer answer = service.ask(AnswerRequest.of("Ollama 默认 监听 哪个 端口 ？"), new Recorder());

        assertThat(generator.systemPrompts.getLast()).contains("answer in Chinese");
        assertThat(answer.sources().getFirst().path()).isEqualTo("/docs/zh.md");
        assertThat(answer.text()).isEqualTo("端口是 11434 [1]。");

        Answer notFound = service.ask(AnswerRequest.of("面包 烘焙 温度"), new Recorder());
        assertThat(notFound.kind()).isEqualTo(Answer.Kind.NOT_FOUND);
        assertThat(notFound.text()).startsWith("在你的文档中没有找到答案");
    }

    @Test
    void theContextBudgetHoldsWithHugeChunksAndManySources() {
        for (int i = 0; i < 20; i++) {
            add("/big/" + i + ".md", "Big " + i, ("Ollama port 11434 detail number " + i + ". ").repeat(400));
        }
        index.commit();
        AnswerSettings small = new AnswerSettings(2048, 512, 0.2, true);
        FakeGenerator generator = new FakeGenerator("ok [1]");
        AnswerService service = new AnswerService(retriever, generator, "", small);

        Answer answer = service.ask(AnswerRequest.of("Ollama port 11434 detail").withK(20), new Recorder());

        int prompt = TokenEstimate.forChatModel(generator.systemPrompts.getLast())
                + TokenEstimate.forChatModel(generator.userMessages.getLast());
        assertThat(prompt).isLessThanOrEqualTo(2048 - 512);
        assertThat(answer.sources()).isNotEmpty().hasSizeLessThan(20);
        assertThat(answer.sources().getLast().text()).endsWith(" …"); // the last one was cut to fit
    }

    @Test
    void aFollowUpIsCondensedWithTheHistoryBeforeRetrieval() {
        FakeGenerator generator = new FakeGenerator("Set OLLAMA_HOST [1].");
        generator.condensed = "How do I change the port Ollama listens on?";
        AnswerService service = new AnswerService(retriever, generator, "", SETTINGS);
        List<Turn> history = List.of(Turn.user("Which port does Ollama use?"), Turn.assistant("Port 11434 [1]."));

        Answer answer = service.ask(AnswerRequest.of("And how do I change it?").withHistory(history), new Recorder());

        assertThat(generator.condenseInputs)
                .singleElement()
                .satisfies(input -> assertThat(input)
                        .contains("User: Which port does Ollama use?")
                        .contains("Assistant: Port 11434 [1].")
                        .contains("Follow-up: And how do I change it?"));
        assertThat(answer.query()).isEqualTo("How do I change the port Ollama listens on?");
        assertThat(answer.sources().getFirst().path()).isEqualTo("/docs/faq.md");
        assertThat(generator.histories.getLast()).isEqualTo(history);
    }

    @Test
    void callerRetrievedHitsAreAnsweredWithTheRequestsHistoryAndCancellation() {
        FakeGenerator generator = new FakeGenerator("Port ", "11434 [1]", " more");
        generator.condensed = "Which port does Ollama listen on?";
        Cancellation cancellation = new Cancellation();
        generator.cancelAfterFirstToken = cancellation;
        AnswerService service = new AnswerService(retriever, generator, "", SETTINGS);
        List<Turn> history = List.of(Turn.user("Tell me about Ollama."), Turn.assistant("It runs models."));
        AnswerRequest request =
                AnswerRequest.of("Which port?").withHistory(history).withCancellation(cancellation);

        String query = service.standaloneQuery(request);
        Retrieval retrieval = service.retrieve(request.withK(2), query);
        Answer answer = service.answer(request, query, retrieval, new Recorder());

        assertThat(query).isEqualTo("Which port does Ollama listen on?");
        assertThat(answer.query()).isEqualTo(query);
        assertThat(answer.sources()).hasSize(2);
        assertThat(generator.histories.getLast()).isEqualTo(history);
        assertThat(answer.complete()).isFalse(); // the request's cancellation reached the generator
        assertThat(answer.text()).isEqualTo("Port ");
    }

    @Test
    void withoutHistoryTheStandaloneQueryIsTheQuestion() {
        FakeGenerator generator = new FakeGenerator("ok");
        AnswerService service = new AnswerService(retriever, generator, "", SETTINGS);

        assertThat(service.standaloneQuery(AnswerRequest.of("Which port?"))).isEqualTo("Which port?");
        assertThat(generator.condenseInputs).isEmpty();
    }

    @Test
    void theFirstTurnIsNotCondensed() {
        FakeGenerator generator = new FakeGenerator("ok");
        new AnswerService(retriever, generator, "", SETTINGS).ask(AnswerRequest.of("Which port?"), new Recorder());

        assertThat(generator.condenseInputs).isEmpty();
    }

    @Test
    void thinkingIsHiddenByDefaultAndShownOnRequest() {
        AnswerService service =
                new AnswerService(retriever, new FakeGenerator("<think>hmm</think>", "Port 11434 [1]."), "", SETTINGS);

        Recorder hidden = new Recorder();
        Answer answer = service.ask(AnswerRequest.of("Which port does Ollama use?"), hidden);
        Recorder shown = new Recorder();
        service.ask(AnswerRequest.of("Which port does Ollama use?").withShowThinking(true), shown);

        assertThat(answer.text()).isEqualTo("Port 11434 [1].");
        assertThat(answer.thinking()).isEqualTo("hmm");
        assertThat(hidden.events).doesNotContain("thinking:hmm");
        assertThat(shown.events).contains("thinking:hmm");
    }

    @Test
    void aModelFailureBeforeTheFirstTokenFallsBackToTheExtractiveAnswer() {
        FakeGenerator failing = new FakeGenerator();
        failing.failure = new ModelUnavailableException("connection refused");
        AnswerService service = new AnswerService(retriever, failing, "", SETTINGS);

        Answer answer = service.ask(AnswerRequest.of("Which port does Ollama use?"), new Recorder());

        assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(answer.notice()).contains("connection refused");
    }

    @Test
    void aStreamThatBreaksMidAnswerIsAnErrorWithAPartialAnswerMarkedIncomplete() {
        FakeGenerator dropping = new FakeGenerator("Port ");
        dropping.failure = new ModelUnavailableException("stream dropped");
        AnswerService service = new AnswerService(retriever, dropping, "", SETTINGS);
        Recorder recorder = new Recorder();

        assertThatThrownBy(() -> service.ask(AnswerRequest.of("Which port does Ollama use?"), recorder))
                .isInstanceOfSatisfying(PartialAnswerException.class, e -> {
                    assertThat(e.partial().complete()).isFalse();
                    assertThat(e.partial().text()).isEqualTo("Port "); // exactly as far as it came
                })
                .hasMessageContaining("stream dropped");
        assertThat(recorder.events).contains("error").doesNotContain("complete:GENERATED");
    }

    @Test
    void cancellingStopsTheAnswerAndMarksItIncomplete() {
        FakeGenerator generator = new FakeGenerator("Port ", "11434 ", "and more");
        Cancellation cancellation = new Cancellation();
        generator.cancelAfterFirstToken = cancellation;
        AnswerService service = new AnswerService(retriever, generator, "", SETTINGS);

        Answer answer = service.ask(
                AnswerRequest.of("Which port does Ollama use?").withCancellation(cancellation), new Recorder());

        assertThat(answer.complete()).isFalse();
        assertThat(answer.text()).isEqualTo("Port ");
        assertThat(answer.notice()).contains("cancelled");
    }

    @Test
    void aRealStreamThatDropsMidAnswerGivesAnErrorEventAndAPartialAnswer() throws Exception {
        try (OllamaTestServer ollama = OllamaTestServer.builder().models("chat").build();
                OllamaClient client = new OllamaClient(
                        OllamaSettings.builder().baseUrl(ollama.baseUrl()).build())) {
            ollama.slowTokens(Duration.ofMillis(30));
            ollama.dropAfterTokens(3);
            AnswerService service = new AnswerService(retriever, new OllamaGenerator("chat", client), "", SETTINGS);
            Recorder recorder = new Recorder();

            assertThatThrownBy(() -> service.ask(
                            AnswerRequest.of("Which port does Ollama use?").withK(2), recorder))
                    .isInstanceOfSatisfying(PartialAnswerException.class, e -> {
                        assertThat(e.partialText()).isEqualTo("According to your ");
                        assertThat(e.partial().complete()).isFalse();
                        assertThat(e.partial().sources()).hasSize(2);
                    });
            assertThat(recorder.events)
                    .containsExactly("retrieved:2", "token:According ", "token:to ", "token:your ", "error");
        }
    }

    @Test
    void cancellingARealStreamClosesTheConnectionToOllama() throws Exception {
        try (OllamaTestServer ollama = OllamaTestServer.builder().models("chat").build();
                OllamaClient client = new OllamaClient(
                        OllamaSettings.builder().baseUrl(ollama.baseUrl()).build())) {
            ollama.slowTokens(Duration.ofMillis(200));
            AnswerService service = new AnswerService(retriever, new OllamaGenerator("chat", client), "", SETTINGS);
            Cancellation cancellation = new Cancellation();
            AnswerHandler cancelAfterFirstToken = new AnswerHandler() {
                @Override
                public void onToken(String token) {
                    cancellation.cancel();
                }
            };

            Answer answer = service.ask(
                    AnswerRequest.of("Which port does Ollama use?").withCancellation(cancellation),
                    cancelAfterFirstToken);

            assertThat(answer.complete()).isFalse();
            assertThat(answer.text()).isEqualTo("According ");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ollama.disconnects().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ollama.disconnects())
                    .as("the server saw the client close the stream")
                    .isNotEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    private void add(String id, String title, String text) {
        index.replaceDocument(
                new SourceDocument(id, title, "text/plain", id, text.length(), 0),
                List.of(new ChunkRecord(0, text, EMBEDDER.vector(title + "\n\n" + text))));
    }

    private static final class Recorder implements AnswerHandler {
        final List<String> events = new ArrayList<>();

        @Override
        public void onRetrieved(List<Source> sources) {
            events.add("retrieved:" + sources.size());
        }

        @Override
        public void onToken(String token) {
            events.add("token:" + token);
        }

        @Override
        public void onThinking(String token) {
            events.add("thinking:" + token);
        }

        @Override
        public void onComplete(Answer answer) {
            events.add("complete:" + answer.kind());
        }

        @Override
        public void onError(Throwable error) {
            events.add("error");
        }
    }

    /** Streams fixed tokens, records what it was asked, can fail or be cancelled. */
    private static final class FakeGenerator implements Generator {
        private final List<String> tokens;
        final List<String> systemPrompts = new ArrayList<>();
        final List<String> userMessages = new ArrayList<>();
        final List<List<Turn>> histories = new ArrayList<>();
        final List<String> condenseInputs = new ArrayList<>();
        RuntimeException failure;
        Cancellation cancelAfterFirstToken;
        String condensed = "";
        int calls;

        FakeGenerator(String... tokens) {
            this.tokens = List.of(tokens);
        }

        @Override
        public String model() {
            return "fake";
        }

        @Override
        public String complete(String systemPrompt, String userMessage) {
            condenseInputs.add(userMessage);
            return condensed;
        }

        @Override
        public Generation stream(
                String systemPrompt,
                List<Turn> history,
                String userMessage,
                Consumer<String> onToken,
                Cancellation cancellation) {
            calls++;
            systemPrompts.add(systemPrompt);
            userMessages.add(userMessage);
            histories.add(history);
            StringBuilder text = new StringBuilder();
            for (String token : tokens) {
                if (cancellation.isCancelled()) {
                    return new Generation(text.toString(), false, -1);
                }
                text.append(token);
                onToken.accept(token);
                if (cancelAfterFirstToken != null) {
                    cancelAfterFirstToken.cancel();
                }
            }
            if (failure != null) {
                throw failure;
            }
            return new Generation(text.toString(), true, tokens.size());
        }
    }
}
