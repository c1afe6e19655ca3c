package dev.localrag.core.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.Embedders;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Real embeddings for the benchmark: sentences of a BEIR corpus ({@code datasets/scifact} by
 * default) and its queries, embedded with the in-process {@code onnx:bge-small-en-v1.5} model
 * (384-d). Each document gives its title, its sentences and then its windows of two and three
 * adjacent sentences, so SciFact's 5k abstracts give about 120k distinct texts. Embedding is the slow part (about 40 texts/s on two busy
 * cores), so the vectors are cached in {@code cacheDir} and reused by later runs.
 */
final class TextVectors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = "onnx:bge-small-en-v1.5";

    private TextVectors() {}

    /** {@code [0]} = up to {@code n} corpus vectors, {@code [1]} = up to {@code queries} query vectors. */
    static float[][][] load(Path datasetDir, int n, int queries, Path cacheDir) throws IOException {
        List<String> texts = corpusTexts(datasetDir.resolve("corpus.jsonl"), n);
        List<String> questions = queryTexts(datasetDir.resolve("queries.jsonl"), queries);
        String name = datasetDir.getFileName() + "-" + SPEC.replace(':', '-') + "-";
        Path corpusFile = cacheDir.resolve(name + "corpus-" + texts.size() + ".f32");
        Path queryFile = cacheDir.resolve(name + "queries-" + questions.size() + ".f32");
        if (Files.isRegularFile(corpusFile) && Files.isRegularFile(queryFile)) {
            System.out.println("real embeddings: cached in " + cacheDir);
            return new float[][][] {read(corpusFile), read(queryFile)};
        }
        System.out.printf(
                Locale.ROOT,
                "real embeddings: embedding %,d texts of %s with %s (cached in %s afterwards)%n",
                texts.size(),
                datasetDir,
                SPEC,
                cacheDir);
        try (Embedder embedder = Embedders.create(
                EmbedderSpec.parse(SPEC), OllamaSettings.builder().build())) {
            long t0 = System.nanoTime();
            List<float[]> vectors = new ArrayList<>(texts.size());
            int batch = 256;
            for (int i = 0; i < texts.size(); i += batch) {
                vectors.addAll(embedder.embedDocuments(texts.subList(i, Math.min(texts.size(), i + batch))));
                if ((i / batch) % 40 == 0) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(
                            Locale.ROOT,
                            "  %,d / %,d (%.0f texts/s)%n",
                            vectors.size(),
                            texts.size(),
                            vectors.size() / Math.max(s, 1e-9));
                }
            }
            float[][] qs = questions.stream().map(embedder::embedQuery).toArray(float[][]::new);
            float[][] corpus = vectors.toArray(float[][]::new);
            Files.createDirectories(cacheDir);
            write(corpusFile, corpus);
            write(queryFile, qs);
            return new float[][][] {corpus, qs};
        }
    }

    static List<String> corpusTexts(Path corpus, int n) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        try (BufferedReader reader = Files.newBufferedReader(corpus)) {
            String line;
            while ((line = reader.readLine()) != null && out.size() < n) {
                JsonNode doc = JSON.readTree(line);
                String title = doc.path("title").asText("").strip();
                String text = doc.path("text").asText("");
                List<String> split = new ArrayList<>();
                sentences.setText(text);
                for (int start = sentences.first(), end = sentences.next();
                        end != BreakIterator.DONE;
                        start = end, end = sentences.next()) {
                    String s = text.substring(start, end).strip();
                    if (s.length() >= 20) {
                        split.add(s);
                    }
                }
                List<String> units = new ArrayList<>();
                if (!title.isEmpty()) {
                    units.add(title);
                }
                units.addAll(split);
                for (int width = 2; width <= 3; width++) { // windows of adjacent sentences
                    for (int i = 0; i + width <= split.size(); i++) {
                        units.add(String.join(" ", split.subList(i, i + width)));
                    }
                }
                for (String u : units) {
                    if (out.size() < n) {
                        out.add(u);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<String> queryTexts(Path queries, int n) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(queries)) {
            String line;
            while ((line = reader.readLine()) != null && out.size() < n) {
                out.add(JSON.readTree(line).path("text").asText());
            }
        }
        return out;
    }

    private static void write(Path file, float[][] vectors) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out =
                new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(vectors.length);
            out.writeInt(vectors[0].length);
            for (float[] v : vectors) {
                for (float f : v) {
                    out.writeFloat(f);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static float[][] read(Path file) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            float[][] out = new float[in.readInt()][in.readInt()];
            for (float[] v : out) {
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.readFloat();
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read cached vectors " + file + "; delete it to re-embed", e);
        }
    }
}
