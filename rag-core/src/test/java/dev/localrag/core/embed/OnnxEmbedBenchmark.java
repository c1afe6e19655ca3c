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
import java.util.List;
import java.util.Locale;

/**
 * The in-process embedder against LangChain4j's own {@code embedAll} on the same model and texts
 * (SciFact abstracts), in the same run: texts/s of each, the ratio, and the lowest cosine between
 * their vectors. LangChain4j gets the whole list in one call (its best case); ours gets batches of
 * {@link Embedder#preferredBatchSize()}, as the ingest sends them. Not part of {@code verify}.
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
        List<String> texts = scifact(n);
        EmbeddingModel theirs = OnnxEmbedder.langChain4jModel(model);
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        try (OnnxEmbedder ours = OnnxEmbedder.create(new EmbedderSpec(EmbedderSpec.Provider.ONNX, model))) {
            // warm up both: session initialisation, allocator arenas, JIT
            theirs.embedAll(segments.subList(0, 16));
            ours.embedDocuments(texts.subList(0, 16));
            double bestTheirs = 0;
            double bestOurs = 0;
            List<float[]> theirVectors = null;
            List<float[]> ourVectors = null;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                theirVectors = theirs.embedAll(segments).content().stream()
                        .map(e -> e.vector())
                        .toList();
                long t1 = System.nanoTime();
                ourVectors = new ArrayList<>();
                int batch = ours.preferredBatchSize();
                for (int from = 0; from < texts.size(); from += batch) {
                    ourVectors.addAll(ours.embedDocuments(texts.subList(from, Math.min(texts.size(), from + batch))));
                }
                long t2 = System.nanoTime();
                double theirRate = texts.size() / ((t1 - t0) / 1e9);
                double ourRate = texts.size() / ((t2 - t1) / 1e9);
                System.out.printf(
                        Locale.ROOT,
                        "round %d: LangChain4j embedAll %.1f texts/s, LocalRAG %.1f texts/s%n",
                        r + 1,
                        theirRate,
                        ourRate);
                bestTheirs = Math.max(bestTheirs, theirRate);
                bestOurs = Math.max(bestOurs, ourRate);
            }
            double minCosine = 1;
            for (int i = 0; i < texts.size(); i++) {
                minCosine = Math.min(minCosine, cosine(theirVectors.get(i), ourVectors.get(i)));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s, %d SciFact abstracts, %d cores: LangChain4j embedAll %.1f texts/s, LocalRAG %.1f texts/s,"
                            + " ratio %.2fx; lowest cosine to LangChain4j's vectors %.5f%n",
                    model,
                    texts.size(),
                    Runtime.getRuntime().availableProcessors(),
                    bestTheirs,
                    bestOurs,
                    bestOurs / bestTheirs,
                    minCosine);
        }
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
