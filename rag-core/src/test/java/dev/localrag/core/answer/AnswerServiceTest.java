package dev.localrag.core.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.IncompleteAnswerException;
import dev.localrag.core.LocalRagException;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.retrieval.Retriever;
import dev.localrag.core.testing.HashingEmbedder;
import dev.localrag.core.testing.OllamaTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerServiceTest {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(64);

    @TempDir
    Path dir;

    private LuceneVectorIndex index;
    private Retriever retriever;

    @BeforeEach
    void indexTwoDocuments() {
        index = LuceneVectorIndex.open(dir, IndexManifest.of(EMBEDDER.spec(), 64, "test"));
        add("/docs/faq.md", "FAQ", "Ollama binds 127.0.0.1 port 11434 by default. Change it with OLLAMA_HOST.");
        add("/docs/gpu.md", "GPU", "Nvidia GPUs with compute capability 5.0 and newer are supported.");
        index.commit();
        retriever = new Retriever(index, EMBEDDER);
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void withoutAGeneratorTheAnswerIsTheRetrievedPassagesWithCitations() {
        AnswerService service = new AnswerService(retriever, null, "Ollama is not running");
        Recorder recorder = new Recorder();

        Answer answer = service.ask("Which port does Ollama use?", SearchMode.HYBRID, 2, recorder);

        assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(answer.notice()).isEqualTo("Ollama is not running");
        assertThat(answer.sources()).extracting(Source::n).containsExactly(1, 2);
        assertThat(answer.sources().getFirst().path()).isEqualTo("/docs/faq.md");
        assertThat(answer.text()).contains("[1] /docs/faq.md (chunk 0)").contains("port 11434");
        assertThat(recorder.events).containsExactly("retrieved:2", "complete:EXTRACTIVE");
    }

    @Test
    void withAGeneratorTokensStreamBetweenSourcesAndCompletion() {
        FakeGenerator generator = new FakeGenerator(List.of("Port ", "11434 ", "[1]."), null);
        AnswerService service = new AnswerService(retriever, generator, "");
        Recorder recorder = new Recorder();

        Answer answer = service.ask("Which port does Ollama use?", SearchMode.HYBRID, 2, recorder);

        assertThat(answer.kind()).isEqualTo(Answer.Kind.GENERATED);
        assertThat(answer.text()).isEqualTo("Port 11434 [1].");
        assertThat(answer.model()).isEqualTo("fake");
        assertThat(recorder.events)
                .containsExactly("retrieved:2", "token:Port ", "token:11434 ", "token:[1].", "complete:GENERATED");
        // the prompt carries the numbered sources and the question
        assertThat(generator.userPrompt)
                .contains("[1] FAQ (/docs/faq.md, chunk 0)")
                .contains("Which port does Ollama use?");
        assertThat(generator.systemPrompt).contains("cite");
    }

    @Test
    void aModelFailureBeforeTheFirstTokenFallsBackToTheExtractiveAnswer() {
        FakeGenerator failing = new FakeGenerator(List.of(), new ModelUnavailableException("connection refused"));
        AnswerService service = new AnswerService(retriever, failing, "");

        Answer answer = service.ask("Which port does Ollama use?", SearchMode.HYBRID, 2, new Recorder());

        assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(answer.notice()).contains("connection refused");
    }

    @Test
    void aModelFailureAfterTokensIsAnErrorNotAnIncompleteAnswer() {
        FakeGenerator dropping = new FakeGenerator(List.of("Port "), new ModelUnavailableException("stream dropped"));
        AnswerService service = new AnswerService(retriever, dropping, "");
        Recorder recorder = new Recorder();

        assertThatThrownBy(() -> service.ask("Which port does Ollama use?", SearchMode.HYBRID, 2, recorder))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("stream dropped");
        assertThat(recorder.events).doesNotContain("complete:GENERATED");
    }

    @Test
    void aStreamThatDropsMidAnswerGivesAnErrorEventWithThePartialAnswer() {
        try (OllamaTestServer ollama = OllamaTestServer.builder().models("chat").build();
                OllamaClient client = new OllamaClient(
                        OllamaSettings.builder().baseUrl(ollama.baseUrl()).build())) {
            ollama.slowTokens(java.time.Duration.ofMillis(30));
            ollama.dropAfterTokens(3);
            AnswerService service = new AnswerService(retriever, new OllamaGenerator("chat", client), "");
            Recorder recorder = new Recorder();

            assertThatThrownBy(() -> service.ask("Which port does Ollama use?", SearchMode.HYBRID, 2, recorder))
                    .isInstanceOfSatisfying(
                            IncompleteAnswerException.class,
                            e -> assertThat(e.partialText()).isEqualTo("According to your "));
            assertThat(recorder.events)
                    .containsExactly(
                            "retrieved:2",
                            "token:According ",
                            "token:to ",
                            "token:your ",
                            "error:IncompleteAnswerException:According to your ");
        }
    }

    @Test
    void aStreamedAnswerFromTheTestServerCitesTheSources() {
        try (OllamaTestServer ollama = OllamaTestServer.builder().models("chat").build();
                OllamaClient client = new OllamaClient(
                        OllamaSettings.builder().baseUrl(ollama.baseUrl()).build())) {
            AnswerService service = new AnswerService(retriever, new OllamaGenerator("chat", client), "");

            Answer answer = service.ask("Which port does Ollama use?", SearchMode.HYBRID, 2, new Recorder());

            assertThat(answer.kind()).isEqualTo(Answer.Kind.GENERATED);
            assertThat(answer.text()).endsWith("[1][2].");
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
        public void onComplete(Answer answer) {
            events.add("complete:" + answer.kind());
        }

        @Override
        public void onError(LocalRagException error, String partialText) {
            events.add("error:" + error.getClass().getSimpleName() + ":" + partialText);
        }
    }

    private static final class FakeGenerator implements Generator {
        private final List<String> tokens;
        private final RuntimeException failAfterTokens;
        String systemPrompt;
        String userPrompt;

        FakeGenerator(List<String> tokens, RuntimeException failAfterTokens) {
            this.tokens = tokens;
            this.failAfterTokens = failAfterTokens;
        }

        @Override
        public String model() {
            return "fake";
        }

        @Override
        public String generate(String systemPrompt, String userPrompt, Consumer<String> onToken) {
            this.systemPrompt = systemPrompt;
            this.userPrompt = userPrompt;
            tokens.forEach(onToken);
            if (failAfterTokens != null) {
                throw failAfterTokens;
            }
            return String.join("", tokens);
        }
    }
}
