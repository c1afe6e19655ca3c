package dev.localrag.server;

import dev.localrag.core.answer.AnswerHandler;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.retrieval.Retriever;
import dev.localrag.core.testing.OllamaTestServer;
import dev.localrag.runtime.RagRuntime;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load figures for the server: queries/s and p50/p99 latency for retrieval-only requests ({@code
 * POST /v1/search}) and for concurrent streamed answers ({@code POST /v1/query/stream}, to the
 * {@code done} event, plus time to first token), each next to an in-process baseline measured in
 * the same run (the same work without HTTP). The sample corpus is indexed through the project's
 * Ollama test server (hashing embeddings, instant answers), so the figures are LocalRAG's own
 * overhead, not a model's speed. All traffic goes to 127.0.0.1; every phase is bounded in requests
 * and in time.
 *
 * <pre>./mvnw -B -q -Pload -pl rag-server -am verify -DskipTests</pre>
 *
 * Options (system properties): {@code load.requests} (default 2000 searches), {@code load.answers}
 * (default 300), {@code load.concurrency} (default 8), {@code load.seconds} per phase (default 30).
 */
public final class LoadBenchmark {

    private static final List<String> QUESTIONS = List.of(
            "How do I change the port Ollama listens on?",
            "Which GPUs are supported?",
            "How do I import a GGUF model?",
            "Where are models stored?",
            "How can I set the context window size?",
            "What does the API return for embeddings?",
            "How do I run Ollama in Docker?",
            "How do I keep a model loaded in memory?");

    private LoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("load.requests", 2000);
        int answers = Integer.getInteger("load.answers", 300);
        int concurrency = Integer.getInteger("load.concurrency", 8);
        long seconds = Long.getLong("load.seconds", 30);
        Path corpus = locateCorpus();
        Path tmp = Files.createTempDirectory("localrag-load");
        try (OllamaTestServer ollama =
                new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM)) {
            RagConfig config = TestCorpus.config(tmp.resolve("index"), ollama.baseUrl());
            var report = TestCorpus.ingest(config, corpus);
            System.out.printf(
                    Locale.ROOT,
                    "corpus: %s (%d files, %d chunks); concurrency %d; phases bounded to %d s%n",
                    corpus,
                    report.filesIndexed(),
                    report.chunks(),
                    concurrency,
                    seconds);

            Stats searchBase;
            Stats answerBase;
            try (RagRuntime rag = RagRuntime.builder(config).readOnly().build()) {
                Retriever retriever = rag.retriever();
                AnswerService service = rag.answers();
                // the first in-process pass warms the JIT for both sides; the second is the baseline
                run(
                        requests / 2,
                        concurrency,
                        seconds,
                        i -> {
                            retriever.retrieve(QUESTIONS.get(i % QUESTIONS.size()), SearchMode.HYBRID, 5);
                            return null;
                        },
                        () -> {});
                searchBase = run(
                        requests,
                        concurrency,
                        seconds,
                        i -> {
                            retriever.retrieve(QUESTIONS.get(i % QUESTIONS.size()), SearchMode.HYBRID, 5);
                            return null;
                        },
                        () -> {});
                answerBase = run(
                        answers,
                        concurrency,
                        seconds,
                        i -> {
                            service.ask(
                                    QUESTIONS.get(i % QUESTIONS.size()), SearchMode.HYBRID, 5, new AnswerHandler() {});
                            return null;
                        },
                        () -> {});
            }

            ServerConfig serverConfig = ServerConfig.builder()
                    .port(0)
                    .collection("docs", config)
                    .chatConcurrency(concurrency)
                    .chatQueue(concurrency * 4)
                    .build();
            try (LocalRagServer server =
                    LocalRagServer.create(serverConfig, n -> {}).start()) {
                Http http = new Http(server.baseUrl());
                Stats search = run(
                        requests,
                        concurrency,
                        seconds,
                        i -> {
                            Http.Response r = http.post(
                                    "/v1/search",
                                    Http.json(java.util.Map.of("query", QUESTIONS.get(i % QUESTIONS.size()), "k", 5)));
                            if (r.status() != 200) {
                                throw new IllegalStateException(r.toString());
                            }
                            return null;
                        },
                        () -> {});
                List<Long> firstTokens = Collections.synchronizedList(new ArrayList<>());
                Stats stream = run(
                        answers,
                        concurrency,
                        seconds,
                        i -> {
                            long start = System.nanoTime();
                            HttpResponse<InputStream> response = http.open(
                                    "/v1/query/stream", Http.json(java.util.Map.of("question", QUESTIONS.get(i % 8))));
                            try (BufferedReader reader = new BufferedReader(
                                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                                List<Http.Event> head = Http.events(reader, 2);
                                if (head.size() < 2 || !head.get(1).name().equals("token")) {
                                    throw new IllegalStateException("unexpected stream start " + head);
                                }
                                firstTokens.add(System.nanoTime() - start);
                                List<Http.Event> rest = Http.events(reader, Integer.MAX_VALUE);
                                if (rest.isEmpty() || !rest.getLast().name().equals("done")) {
                                    throw new IllegalStateException("stream did not end with done: " + rest);
                                }
                            }
                            return null;
                        },
                        firstTokens::clear);
                Stats ttft = Stats.of(firstTokens, stream.elapsedNanos, 0);
                System.out.println();
                System.out.println("phase                               n      q/s     p50 ms   p99 ms  errors");
                print("retrieval, in-process (baseline)", searchBase);
                print("POST /v1/search", search);
                print("answer, in-process (baseline)", answerBase);
                print("POST /v1/query/stream (to done)", stream);
                System.out.printf(
                        Locale.ROOT,
                        "%-32s %5d %8s %9.2f %8.2f%n",
                        "  time to first token",
                        ttft.count(),
                        "",
                        ttft.p(50),
                        ttft.p(99));
                System.out.println();
                System.out.printf(
                        Locale.ROOT,
                        "ratio HTTP / in-process: search q/s %.2f, p50 %.2f; streamed answers q/s %.2f, p50 %.2f%n",
                        search.qps() / searchBase.qps(),
                        search.p(50) / searchBase.p(50),
                        stream.qps() / answerBase.qps(),
                        stream.p(50) / answerBase.p(50));
            }
        } finally {
            deleteTree(tmp);
        }
    }

    @FunctionalInterface
    interface Call {
        Void call(int i) throws Exception;
    }

    record Stats(List<Long> nanos, long elapsedNanos, int errors) {
        static Stats of(List<Long> nanos, long elapsed, int errors) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return new Stats(sorted, elapsed, errors);
        }

        int count() {
            return nanos.size();
        }

        double qps() {
            return nanos.size() / (elapsedNanos / 1e9);
        }

        double p(int percentile) {
            if (nanos.isEmpty()) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(percentile / 100.0 * nanos.size()) - 1;
            return nanos.get(Math.max(0, Math.min(nanos.size() - 1, i))) / 1e6;
        }
    }

    /** Runs up to {@code n} calls on {@code concurrency} virtual threads, stopping after {@code seconds}. */
    static Stats run(int n, int concurrency, long seconds, Call call, Runnable afterWarmUp) throws Exception {
        // warm-up, not measured
        for (int i = 0; i < Math.min(50, n); i++) {
            call.call(i);
        }
        afterWarmUp.run();
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < n && System.nanoTime() < deadline) {
                        long t = System.nanoTime();
                        try {
                            call.call(i);
                            nanos.add(System.nanoTime() - t);
                        } catch (Exception e) {
                            if (errors.incrementAndGet() == 1) {
                                System.err.println("first error: " + e);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        }
        return Stats.of(nanos, System.nanoTime() - start, errors.get());
    }

    private static void print(String name, Stats s) {
        System.out.printf(
                Locale.ROOT,
                "%-32s %5d %8.1f %9.2f %8.2f %7d%n",
                name,
                s.count(),
                s.qps(),
                s.p(50),
                s.p(99),
                s.errors());
    }

    private static Path locateCorpus() {
        for (Path p : List.of(Path.of("datasets/corpora/ollama-docs"), Path.of("../datasets/corpora/ollama-docs"))) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException(
                "Run from the repository or the rag-server folder: datasets/corpora/" + "ollama-docs not found");
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
