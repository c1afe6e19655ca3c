package dev.localrag.core.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The in-process embedder against LangChain4j's own {@code embedAll} on the same model and texts
 * (SciFact abstracts), in the same run: texts/s of each, the ratio, and the lowest cosine between
 * their vectors. Each gets a slice of texts per call (LangChain4j one {@code embedAll}, which keeps
 * its per-core pool busy; ours one {@code embedDocuments}, as the ingest sends a batch), once with one session call at a
 * time on all cores (what ships) and once with one call per core; and, for comparison, padded
 * length-sorted batches with attention masks, whose vectors depend on their neighbours (the shipped
 * models are dynamically quantized: lowest cosine 0.9967, below the 0.999 bar). Not part of {@code
 * verify}. With a JDK 21+ {@code java}:
 *
 * <pre>
 * ./mvnw -q -B -pl rag-core -am test-compile dependency:build-classpath -DskipTests \
 *     -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -cp rag-core/target/test-classes:rag-core/target/classes:$(cat rag-core/target/test.cp) \
 *     dev.localrag.core.embed.OnnxEmbedBenchmark [N MODEL ROUNDS]
 * </pre>
 *
 * Defaults: the first 300 abstracts of {@code datasets/scifact/corpus.jsonl}, bge-small-en-v1.5, 1
 * round. The variants run interleaved, slice by slice with the order rotating, so that a change of
 * the machine's load between them does not decide the ratio; the ratio is total time against total
 * time, with the median of the per-slice ratios beside it.
 */
public final class OnnxEmbedBenchmark {

    private OnnxEmbedBenchmark() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String model = args.length > 1 ? args[1] : "bge-small-en-v1.5";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> texts = scifact(n);
        EmbeddingModel theirs = OnnxEmbedder.langChain4jModel(model);
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        EmbedderSpec spec = new EmbedderSpec(EmbedderSpec.Provider.ONNX, model);
        try (OnnxEmbedder ours = OnnxEmbedder.create(spec);
                OnnxEmbedder parallel = OnnxEmbedder.create(spec, cores)) {
            Map<String, Function<List<String>, List<float[]>>> runs = new LinkedHashMap<>();
            runs.put(
                    "LangChain4j embedAll",
                    t -> theirs.embedAll(t.stream().map(TextSegment::from).toList()).content().stream()
                            .map(e -> e.vector())
                            .toList());
            runs.put("LocalRAG (one call at a time, " + cores + " intra-op threads)", t -> batched(ours, t));
            runs.put("LocalRAG (" + cores + " calls at once, 1 intra-op thread each)", t -> batched(parallel, t));
            runs.put(
                    "padded batches of 16, length-sorted, masks",
                    t -> ours.encoder().embedPadded(t, 16));
            // warm up each: session initialisation, allocator arenas, JIT
            runs.values().forEach(r -> r.apply(texts.subList(0, 16)));
            // Interleaved in slices of SLICE texts, the order rotating each slice, so that a change of
            // the machine's load hits every variant alike (whole-list runs one after another do not).
            Map<String, Long> nanos = new LinkedHashMap<>();
            Map<String, List<float[]>> vectors = new LinkedHashMap<>();
            Map<String, List<Double>> sliceRatios = new LinkedHashMap<>();
            List<String> names = new ArrayList<>(runs.keySet());
            String baseline = names.get(0);
            int turn = 0;
            for (int r = 0; r < rounds; r++) {
                for (int from = 0; from < texts.size(); from += SLICE, turn++) {
                    List<String> slice = texts.subList(from, Math.min(texts.size(), from + SLICE));
                    Map<String, Long> took = new LinkedHashMap<>();
                    for (int v = 0; v < names.size(); v++) {
                        String name = names.get((v + turn) % names.size());
                        long t0 = System.nanoTime();
                        List<float[]> out = runs.get(name).apply(slice);
                        took.put(name, System.nanoTime() - t0);
                        if (r == 0) {
                            vectors.computeIfAbsent(name, k -> new ArrayList<>())
                                    .addAll(out);
                        }
                    }
                    took.forEach((name, t) -> {
                        nanos.merge(name, t, Long::sum);
                        sliceRatios
                                .computeIfAbsent(name, k -> new ArrayList<>())
                                .add((double) took.get(baseline) / t);
                    });
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s, %d SciFact abstracts x %d rounds, %d cores, interleaved in slices of %d:%n",
                    model,
                    texts.size(),
                    rounds,
                    cores,
                    SLICE);
            for (String name : runs.keySet()) {
                double minCosine = 1;
                for (int i = 0; i < texts.size(); i++) {
                    minCosine = Math.min(
                            minCosine,
                            cosine(
                                    vectors.get(baseline).get(i),
                                    vectors.get(name).get(i)));
                }
                System.out.printf(
                        Locale.ROOT,
                        "  %-62s %7.1f texts/s  ratio %.2fx (median of slices %.2fx)  lowest cosine to LangChain4j's"
                                + " vectors %.5f%n",
                        name,
                        texts.size() * (double) rounds / (nanos.get(name) / 1e9),
                        (double) nanos.get(baseline) / nanos.get(name),
                        median(sliceRatios.get(name)),
                        minCosine);
            }
        }
    }

    private static final int SLICE = 20;

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Batches of {@link Embedder#preferredBatchSize()}, as the ingest sends them. */
    private static List<float[]> batched(Embedder embedder, List<String> texts) {
        List<float[]> out = new ArrayList<>();
        int batch = embedder.preferredBatchSize();
        for (int from = 0; from < texts.size(); from += batch) {
            out.addAll(embedder.embedDocuments(texts.subList(from, Math.min(texts.size(), from + batch))));
        }
        return out;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static List<String> scifact(int n) throws IOException {
        Path corpus = Path.of("datasets/scifact/corpus.jsonl");
        if (!Files.exists(corpus)) {
            corpus = Path.of("../datasets/scifact/corpus.jsonl");
        }
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(corpus)) {
            String line;
            while (texts.size() < n && (line = in.readLine()) != null) {
                JsonNode doc = json.readTree(line);
                String text = doc.path("text").asText();
                if (!text.isBlank()) {
                    texts.add(text);
                }
            }
        }
        return texts;
    }
}
