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
 * their vectors. LangChain4j gets the whole list in one call (its best case); ours gets batches of
 * {@link Embedder#preferredBatchSize()}, as the ingest sends them, once with one session call at a
 * time on all cores and once with one call per core; and, for comparison, padded length-sorted
 * batches (faster, but see the cosine). Not part of {@code verify}.
 *
 * <pre>
 * ./mvnw -q -B -pl rag-core -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.localrag.core.embed.OnnxEmbedBenchmark [-Dexec.args="N MODEL ROUNDS"]
 * </pre>
 *
 * Defaults: the first 300 abstracts of {@code datasets/scifact/corpus.jsonl}, bge-small-en-v1.5, 2
 * rounds (alternating; the best round of each counts).
 */
public final class OnnxEmbedBenchmark {

    private OnnxEmbedBenchmark() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String model = args.length > 1 ? args[1] : "bge-small-en-v1.5";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
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
            Map<String, Double> best = new LinkedHashMap<>();
            Map<String, List<float[]>> vectors = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) { // alternating, so that load changes hit all alike
                for (Map.Entry<String, Function<List<String>, List<float[]>>> run : runs.entrySet()) {
                    long t0 = System.nanoTime();
                    vectors.put(run.getKey(), run.getValue().apply(texts));
                    double rate = texts.size() / ((System.nanoTime() - t0) / 1e9);
                    best.merge(run.getKey(), rate, Math::max);
                    System.out.printf(Locale.ROOT, "round %d: %s %.1f texts/s%n", r + 1, run.getKey(), rate);
                }
            }
            String baseline = runs.keySet().iterator().next();
            System.out.printf(
                    Locale.ROOT,
                    "%s, %d SciFact abstracts, %d cores, best of %d rounds:%n",
                    model,
                    texts.size(),
                    cores,
                    rounds);
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
                        "  %-62s %7.1f texts/s  ratio %.2fx  lowest cosine to LangChain4j's vectors %.5f%n",
                        name,
                        best.get(name),
                        best.get(name) / best.get(baseline),
                        minCosine);
            }
        }
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
