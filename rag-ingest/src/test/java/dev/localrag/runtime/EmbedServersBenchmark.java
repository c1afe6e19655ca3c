package dev.localrag.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestOptions;
import dev.localrag.ingest.IngestReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (not a test): ingest throughput with one vs two embedding servers. Starts two Ollama
 * test servers backed by the in-process ONNX model, each in its own JVM ({@code EmbedServerMain}),
 * writes N SciFact abstracts as files, and ingests them through {@link RagRuntime} twice into fresh
 * indexes: {@code ollama.hosts} = [a], then [a, b]. Prints files/s and chunks/s of each and the
 * ratio. On one machine both servers share its cores, so the ratio shows what pooling costs or
 * gains there; across machines each server brings its own.
 *
 * <pre>
 * ./mvnw -q -B -pl rag-ingest -am test-compile dependency:build-classpath -DskipTests \
 *     -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -cp rag-ingest/target/test-classes:rag-ingest/target/classes:$(cat rag-ingest/target/test.cp) \
 *     dev.localrag.runtime.EmbedServersBenchmark 300 datasets/scifact/corpus.jsonl
 * </pre>
 */
public final class EmbedServersBenchmark {

    private static final String MODEL = "bge-small";

    private EmbedServersBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        Path corpus = Path.of(args.length > 1 ? args[1] : "datasets/scifact/corpus.jsonl");
        if (!Files.isRegularFile(corpus)) {
            corpus = Path.of("..").resolve(corpus); // run from the module folder
        }
        Path work = Files.createTempDirectory("embed-servers-bench");
        Path docs = work.resolve("docs");
        Files.createDirectories(docs);
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader lines = Files.newBufferedReader(corpus)) {
            for (int i = 0; i < n; i++) {
                String line = lines.readLine();
                if (line == null) {
                    break;
                }
                JsonNode d = json.readTree(line);
                Files.writeString(
                        docs.resolve(d.path("_id").asText() + ".md"),
                        "# " + d.path("title").asText() + "\n\n"
                                + d.path("text").asText() + "\n");
            }
        }
        Process a = start();
        Process b = start();
        try {
            URI ua = URI.create("http://127.0.0.1:" + port(a));
            URI ub = URI.create("http://127.0.0.1:" + port(b));
            System.out.printf(
                    Locale.ROOT,
                    "%d SciFact abstracts, embedder ollama:%s (ONNX bge-small-en-v1.5 behind the Ollama protocol),"
                            + " %d cores%n",
                    n,
                    MODEL,
                    Runtime.getRuntime().availableProcessors());
            // warm both servers (model load, JIT) so neither run pays for it
            double[] warm = run(work.resolve("warm"), docs, List.of(ua, ub));
            double[] one = run(work.resolve("one"), docs, List.of(ua));
            double[] two = run(work.resolve("two"), docs, List.of(ua, ub));
            System.out.printf(Locale.ROOT, "(warm-up run: %.1f files/s)%n", warm[0]);
            System.out.printf(Locale.ROOT, "1 server : %7.1f files/s %8.1f chunks/s%n", one[0], one[1]);
            System.out.printf(Locale.ROOT, "2 servers: %7.1f files/s %8.1f chunks/s%n", two[0], two[1]);
            System.out.printf(Locale.ROOT, "ratio 2/1: %.2fx%n", two[0] / one[0]);
        } finally {
            a.getOutputStream().close();
            b.getOutputStream().close();
            a.waitFor();
            b.waitFor();
        }
    }

    /** files/s and chunks/s of one ingest of {@code docs} into a fresh index at {@code dir}. */
    private static double[] run(Path dir, Path docs, List<URI> hosts) {
        RagConfig base = new ConfigLoader(Map.of(), dir).load(null);
        OllamaSettings ollama = base.ollama().toBuilder()
                .baseUrl(hosts.getFirst())
                .embeddingHosts(hosts)
                .maxInFlight(2)
                .build();
        RagConfig config = base.withIndexDir(dir.resolve("index"))
                .withEmbedder("ollama:" + MODEL)
                .withOllama(ollama);
        long start = System.nanoTime();
        IngestReport report;
        try (RagRuntime rag = RagRuntime.builder(config).build()) {
            report = rag.ingest(List.of(docs), IngestOptions.DEFAULT, IngestListener.NONE);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[] {report.added() / seconds, report.chunks() / seconds};
    }

    private static Process start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.localrag.core.testing.EmbedServerMain",
                        MODEL)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static int port(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("PORT ")) {
                return Integer.parseInt(line.substring(5).strip());
            }
        }
        throw new IllegalStateException("embedding server exited before listening");
    }
}
