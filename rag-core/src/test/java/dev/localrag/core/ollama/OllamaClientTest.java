package dev.localrag.core.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.IncompleteAnswerException;
import dev.localrag.core.ModelNotFoundException;
import dev.localrag.core.ModelProtocolException;
import dev.localrag.core.ModelRequestException;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.OperationCancelledException;
import dev.localrag.core.TransientModelException;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.testing.OllamaTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OllamaClientTest {

    private static final String CHAT = "qwen3:4b-instruct-2507-q4_K_M";
    private static final String EMBED = "qwen3-embedding:0.6b-q8_0";
    private static final List<OllamaClient.Message> QUESTION =
            List.of(new OllamaClient.Message("user", "Sources:\n[1] a\n[2] b\nQuestion: port?"));

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private OllamaTestServer server(OllamaTestServer.Builder b) {
        OllamaTestServer s = b.build();
        closeables.add(s);
        return s;
    }

    private OllamaTestServer server() {
        return server(OllamaTestServer.builder().models(CHAT, EMBED).dimension(32));
    }

    private OllamaClient client(OllamaTestServer s, UnaryOperator<OllamaSettings.Builder> tune) {
        OllamaSettings settings = tune.apply(OllamaSettings.builder()
                        .baseUrl(s.baseUrl())
                        .retryBaseDelay(Duration.ofMillis(1))
                        .firstTokenTimeout(Duration.ofSeconds(5))
                        .idleTimeout(Duration.ofSeconds(5)))
                .build();
        OllamaClient c = new OllamaClient(settings);
        closeables.add(c);
        return c;
    }

    private OllamaClient client(OllamaTestServer s) {
        return client(s, b -> b);
    }

    @Test
    void connectionRefusedSaysOllamaIsNotRunningAndHowToStartIt() {
        OllamaTestServer s = server();
        OllamaClient client = client(s);
        s.refuseConnections();

        assertThatThrownBy(client::version)
                .isInstanceOf(ModelUnavailableException.class)
                .isNotInstanceOf(TransientModelException.class)
                .hasMessage("Ollama is not running at " + s.baseUrl()
                        + " — start it with `ollama serve` (or set OLLAMA_HOST / ollama.host)");
    }

    @Test
    void unknownModelSaysHowToPullIt() {
        OllamaTestServer s = server();

        assertThatThrownBy(() -> client(s).embed("nomic-embed-text", List.of("x"), 0, Priority.BULK))
                .isInstanceOfSatisfying(
                        ModelNotFoundException.class, e -> assertThat(e.model()).isEqualTo("nomic-embed-text"))
                .hasMessageStartingWith("model nomic-embed-text is not pulled — run `ollama pull nomic-embed-text`");
        assertThat(s.requests("/api/embed")).hasSize(1);
    }

    @Test
    void aWrongPathIsNotMistakenForAMissingModel() {
        OllamaTestServer s = server();
        OllamaClient client = client(s, b -> b.baseUrl(java.net.URI.create(s.baseUrl() + "/proxy")));

        assertThatThrownBy(() -> client.embed(EMBED, List.of("x"), 0, Priority.BULK))
                .isInstanceOfSatisfying(
                        ModelRequestException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("404 page not found")
                .hasMessageContaining("must point at Ollama itself");
    }

    @Test
    void autoPullPullsTheMissingModelWithProgressThenRetries() {
        OllamaTestServer s =
                server(OllamaTestServer.builder().pullable("all-minilm").dimension(16));
        List<PullProgress> progress = new CopyOnWriteArrayList<>();
        OllamaClient client = new OllamaClient(
                OllamaSettings.builder().baseUrl(s.baseUrl()).autoPull(true).build(), progress::add);
        closeables.add(client);

        List<float[]> vectors = client.embed("all-minilm", List.of("hello", "world"), 0, Priority.BULK);

        assertThat(vectors).hasSize(2).allSatisfy(v -> assertThat(v).hasSize(16));
        assertThat(s.requests())
                .extracting(OllamaTestServer.Request::path)
                .containsExactly("/api/embed", "/api/pull", "/api/embed");
        assertThat(progress.getFirst().status()).isEqualTo("pulling manifest");
        assertThat(progress).anySatisfy(p -> {
            assertThat(p.total()).isPositive();
            assertThat(p.completed()).isEqualTo(p.total());
            assertThat(p.describe()).endsWith("100%");
        });
        assertThat(progress.getLast().status()).isEqualTo("success");
    }

    @Test
    void pullingAModelTheRegistryDoesNotHaveFailsWithTheReason() {
        OllamaTestServer s = server();

        assertThatThrownBy(() -> client(s).pull("no-such-model", p -> {}))
                .isInstanceOf(ModelRequestException.class)
                .hasMessageContaining("could not pull no-such-model: pull model manifest: file does not exist");
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilTheyPass() {
        OllamaTestServer s = server();
        s.failNext("/api/embed", 500, 2);

        List<float[]> vectors = client(s).embed(EMBED, List.of("a"), 0, Priority.BULK);

        assertThat(vectors).hasSize(1);
        assertThat(s.requests("/api/embed")).hasSize(3);
    }

    @Test
    void retriesAreBoundedAndTheLastErrorSaysSo() {
        OllamaTestServer s = server();
        s.failNext("/api/embed", 503, 10);

        assertThatThrownBy(() -> client(s, b -> b.maxRetries(2)).embed(EMBED, List.of("a"), 0, Priority.BULK))
                .isInstanceOf(TransientModelException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("gave up after 3 attempts; ollama.maxRetries = 2");
        assertThat(s.requests("/api/embed")).hasSize(3);
    }

    @Test
    void tooManyRequestsIsRetried() {
        OllamaTestServer s = server();
        s.failNext("/api/tags", 429, 1);

        assertThat(client(s).models()).contains(CHAT, EMBED);
        assertThat(s.requests("/api/tags")).hasSize(2);
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        OllamaTestServer s = server();
        s.failNext("/api/embed", 400, 5);

        assertThatThrownBy(() -> client(s).embed(EMBED, List.of("a"), 0, Priority.BULK))
                .isInstanceOfSatisfying(
                        ModelRequestException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("rejected embedding 1 text(s) with " + EMBED + " with HTTP 400");
        assertThat(s.requests("/api/embed")).hasSize(1);
    }

    @Test
    void theProbeSendsTheConfiguredHeaders() {
        OllamaTestServer s =
                server(OllamaTestServer.builder().models(CHAT).requireHeader("Authorization", "Bearer secret"));

        OllamaStatus without =
                new OllamaProbe(OllamaSettings.builder().baseUrl(s.baseUrl()).build()).check();
        OllamaStatus with = new OllamaProbe(OllamaSettings.builder()
                        .baseUrl(s.baseUrl())
                        .headers(Map.of("Authorization", "Bearer secret"))
                        .build())
                .check();

        assertThat(without.reachable()).isFalse();
        assertThat(with.reachable()).isTrue();
        assertThat(with.hasModel(CHAT)).isTrue();
    }

    @Test
    void unauthorizedIsAConfigurationErrorNamingTheHeaderSetting() {
        OllamaTestServer s =
                server(OllamaTestServer.builder().models(CHAT).requireHeader("Authorization", "Bearer secret"));

        assertThatThrownBy(() -> client(s).version())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("ollama.headers");
        assertThat(s.requests("/api/version")).hasSize(1);

        String version = client(s, b -> b.headers(Map.of("Authorization", "Bearer secret")))
                .version();

        assertThat(version).isEqualTo("0.12.0-test");
        assertThat(s.requests("/api/version").getLast().headers()).containsEntry("authorization", "Bearer secret");
    }

    @Test
    void showReadsContextAndEmbeddingLength() {
        OllamaTestServer s =
                server(OllamaTestServer.builder().models(EMBED).dimension(48).contextLength(512));

        ModelInfo info = client(s).show(EMBED);

        assertThat(info.contextLength()).isEqualTo(512);
        assertThat(info.embeddingLength()).isEqualTo(48);
        assertThat(info.architecture()).isEqualTo("test");
        assertThat(info.capabilities()).contains("embedding");
    }

    @Test
    void chatStreamsTokensAndReportsDone() {
        OllamaTestServer s = server();
        List<String> tokens = new ArrayList<>();

        ChatResult result = client(s, b -> b.keepAlive("10m").numCtx(Map.of(CHAT, 4096)))
                .chat(CHAT, QUESTION, Map.of("temperature", 0.2), tokens::add);

        assertThat(result.text()).isEqualTo("According to your documents, the answer is in these sources [1][2].");
        assertThat(String.join("", tokens)).isEqualTo(result.text());
        assertThat(tokens).hasSizeGreaterThan(3);
        assertThat(result.doneReason()).isEqualTo("stop");
        assertThat(result.evalCount()).isEqualTo(tokens.size());
        OllamaTestServer.Request sent = s.requests("/api/chat").getFirst();
        assertThat(sent.body().path("stream").asBoolean()).isTrue();
        assertThat(sent.body().path("keep_alive").asText()).isEqualTo("10m");
        assertThat(sent.body().path("options").path("num_ctx").asInt()).isEqualTo(4096);
        assertThat(sent.body().path("options").path("temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void aSlowFirstTokenTimesOutAndIsRetriedThenFails() {
        OllamaTestServer s = server();
        s.slowFirstToken(Duration.ofMillis(600));

        assertThatThrownBy(() -> client(
                                s,
                                b -> b.firstTokenTimeout(Duration.ofMillis(150)).maxRetries(1))
                        .chat(CHAT, QUESTION, Map.of(), t -> {}))
                .isInstanceOf(TransientModelException.class)
                .hasMessageContaining("ollama.firstTokenTimeoutSeconds")
                .hasMessageContaining("gave up after 2 attempts");
        assertThat(s.requests("/api/chat")).hasSize(2);
    }

    @Test
    void aStallBetweenTokensEndsTheAnswerAsIncompleteWithoutRetrying() {
        OllamaTestServer s = server();
        s.slowTokens(Duration.ofMillis(800));

        assertThatThrownBy(() ->
                        client(s, b -> b.idleTimeout(Duration.ofMillis(150))).chat(CHAT, QUESTION, Map.of(), t -> {}))
                .isInstanceOfSatisfying(
                        IncompleteAnswerException.class,
                        e -> assertThat(e.partialText()).isEqualTo("According "))
                .hasMessageContaining("ollama.idleTimeoutSeconds");
        assertThat(s.requests("/api/chat")).hasSize(1);
    }

    @Test
    void aDroppedStreamGivesThePartialAnswerMarkedIncomplete() {
        OllamaTestServer s = server();
        s.slowTokens(Duration.ofMillis(30));
        s.dropAfterTokens(3);
        List<String> tokens = new ArrayList<>();

        assertThatThrownBy(() -> client(s).chat(CHAT, QUESTION, Map.of(), tokens::add))
                .isInstanceOfSatisfying(
                        IncompleteAnswerException.class,
                        e -> assertThat(e.partialText()).isEqualTo("According to your "))
                .hasMessageContaining("stopped before it was complete");
        assertThat(String.join("", tokens)).isEqualTo("According to your ");
        assertThat(s.requests("/api/chat")).hasSize(1);
    }

    @Test
    void aDropBeforeTheFirstTokenIsRetried() {
        OllamaTestServer s = server();
        s.dropAfterTokens(0);

        assertThatThrownBy(() -> client(s, b -> b.maxRetries(2)).chat(CHAT, QUESTION, Map.of(), t -> {}))
                .isInstanceOf(TransientModelException.class);
        assertThat(s.requests("/api/chat")).hasSize(3);
    }

    @Test
    void aMalformedLineIsAProtocolError() {
        OllamaTestServer s = server();
        s.malformedLineAfterTokens(0);

        assertThatThrownBy(() -> client(s).chat(CHAT, QUESTION, Map.of(), t -> {}))
                .isInstanceOf(ModelProtocolException.class)
                .hasMessageContaining("malformed line 1")
                .hasMessageContaining("connection was closed");
        assertThat(s.requests("/api/chat")).hasSize(1);
    }

    @Test
    void aMalformedLineMidAnswerMarksItIncomplete() {
        OllamaTestServer s = server();
        s.malformedLineAfterTokens(2);

        assertThatThrownBy(() -> client(s).chat(CHAT, QUESTION, Map.of(), t -> {}))
                .isInstanceOfSatisfying(IncompleteAnswerException.class, e -> {
                    assertThat(e.partialText()).isEqualTo("According to ");
                    assertThat(e.getCause()).isInstanceOf(ModelProtocolException.class);
                });
    }

    @Test
    void anErrorObjectMidStreamMarksTheAnswerIncomplete() {
        OllamaTestServer s = server();
        s.errorAfterTokens(1);

        assertThatThrownBy(() -> client(s).chat(CHAT, QUESTION, Map.of(), t -> {}))
                .isInstanceOf(IncompleteAnswerException.class)
                .hasMessageContaining("an error was encountered while running the model");
    }

    @Test
    void interruptingTheCallerClosesTheStream() throws Exception {
        OllamaTestServer s = server();
        s.slowTokens(Duration.ofMillis(300));
        OllamaClient client = client(s);
        CountDownLatch firstToken = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                client.chat(CHAT, QUESTION, Map.of(), t -> firstToken.countDown());
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        assertThat(firstToken.await(5, TimeUnit.SECONDS)).isTrue();

        caller.interrupt();
        caller.join(5_000);

        assertThat(failure.get()).isInstanceOf(OperationCancelledException.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (s.disconnects().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(s.disconnects()).containsExactly("/api/chat");
    }

    @Test
    void inFlightRequestsAreBoundedPerServer() throws Exception {
        OllamaTestServer s = server();
        s.slowFirstToken(Duration.ofMillis(100));
        OllamaClient client = client(s, b -> b.maxInFlight(2));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            threads.add(Thread.ofVirtual().start(() -> client.embed(EMBED, List.of("x"), 0, Priority.BULK)));
        }
        for (Thread t : threads) {
            t.join(10_000);
        }

        assertThat(s.requests("/api/embed")).hasSize(6);
        assertThat(s.peakInFlight()).isEqualTo(2);
        assertThat(client.limiter().peakInFlight()).isEqualTo(2);
    }

    @Test
    void interactiveRequestsGoAheadOfWaitingBulkOnes() throws Exception {
        OllamaTestServer s = server();
        s.slowFirstToken(Duration.ofMillis(200));
        OllamaClient client = client(s, b -> b.maxInFlight(1));
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofVirtual().start(() -> client.embed(EMBED, List.of("bulk-0"), 0, Priority.BULK)));
        Thread.sleep(50); // bulk-0 holds the only slot
        for (int i = 1; i <= 3; i++) {
            String text = "bulk-" + i;
            threads.add(Thread.ofVirtual().start(() -> client.embed(EMBED, List.of(text), 0, Priority.BULK)));
        }
        Thread.sleep(50);
        threads.add(Thread.ofVirtual().start(() -> client.embed(EMBED, List.of("query"), 0, Priority.INTERACTIVE)));
        for (Thread t : threads) {
            t.join(10_000);
        }

        List<String> order = s.requests("/api/embed").stream()
                .map(r -> r.inputs().getFirst())
                .toList();
        assertThat(order).hasSize(5);
        assertThat(order.get(0)).isEqualTo("bulk-0");
        assertThat(order.get(1)).isEqualTo("query");
        assertThat(s.peakInFlight()).isEqualTo(1);
    }

    @Test
    void backoffGrowsExponentiallyWithJitter() {
        OllamaTestServer s = server();
        OllamaClient client = client(s, b -> b.retryBaseDelay(Duration.ofMillis(100)));

        for (int retry = 0; retry < 4; retry++) {
            long full = 100L << retry;
            for (int i = 0; i < 20; i++) {
                assertThat(client.backoff(retry).toMillis()).isBetween(full / 2, full);
            }
        }
        assertThat(client.backoff(30).toMillis()).isLessThanOrEqualTo(30_000);
    }
}
