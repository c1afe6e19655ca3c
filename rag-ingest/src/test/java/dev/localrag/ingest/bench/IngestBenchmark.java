package dev.localrag.ingest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.chunk.StructuredChunker;
import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.Embedders;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.testing.HashingEmbedder;
import dev.localrag.ingest.GuardedParser;
import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestOptions;
import dev.localrag.ingest.IngestReport;
import dev.localrag.ingest.Ingestor;
import dev.localrag.ingest.TikaDocumentParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Ingest benchmark (not part of {@code verify}). Run from the repository root:
 *
 * <pre>
 * ./mvnw -q -B -Pbench -pl rag-ingest -am process-test-classes -Dbench.args="[CORPUS.jsonl] [--docs N] [--embedder SPEC]"
 * </pre>
 *
 * <ol>
 *   <li>writes the first N records of a BEIR-style corpus ({@code _id}, {@code title}, {@code text}; default
 *       {@code datasets/scifact/corpus.jsonl}, all records) as Markdown files;
 *   <li>ingests them with the in-process embedder (default {@code onnx:bge-small-en-v1.5}) and prints docs/s,
 *       chunks/s and the share of wall time in each stage;
 *   <li>embeds the very same chunk texts again with the embedder alone, in batches of its preferred size: the
 *       ratio ingest wall time / pure embedding time is the pipeline's overhead;
 *   <li>re-runs the ingest on the unchanged files;
 *   <li>ingests 1,000 small generated files (hashing embedder) and times the unchanged re-run.
 * </ol>
 */
public final class IngestBenchmark {

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of("datasets/scifact/corpus.jsonl");
        int docs = Integer.MAX_VALUE;
        String spec = "onnx:bge-small-en-v1.5";
        int threads = IngestOptions.DEFAULT.parseThreads();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--docs" -> docs = Integer.parseInt(args[++i]);
                case "--embedder" -> spec = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> corpus = Path.of(args[i]);
            }
        }
        if (!Files.isRegularFile(corpus)) {
            System.err.println("No corpus at " + corpus.toAbsolutePath()
                    + ". Give the path of a BEIR corpus.jsonl as the first argument.");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("localrag-ingest-bench");
        try {
            Path files = Files.createDirectories(work.resolve("docs"));
            int written = writeCorpus(corpus, files, docs);
            System.out.printf(
                    Locale.ROOT,
                    "Corpus %s: %d documents written as files (%s)%n",
                    corpus,
                    written,
                    docs == Integer.MAX_VALUE ? "all" : "subset of the first " + docs);
            corpusRun(files, work.resolve("index"), EmbedderSpec.parse(spec), written, threads);
            thousandFiles(work);
        } finally {
            deleteTree(work);
        }
    }

    private static void corpusRun(Path files, Path indexDir, EmbedderSpec spec, int docs, int threads) {
        StructuredChunker chunker = new StructuredChunker(ChunkingSettings.DEFAULT);
        try (Embedder embedder = Embedders.create(spec, null)) {
            embedder.embedDocuments(List.of("warm up the model")); // model load is not ingest time
            IndexManifest manifest = IndexManifest.of(spec, embedder.dimension(), chunker.describe());
            // the chunk texts the ingest will embed (learnt with the hashing embedder), embedded alone first:
            // measuring pure embedding before and after the ingest brackets drifts in machine load and warm-up
            List<String> sameTexts = chunkTexts(files, indexDir.resolveSibling("texts-index"), chunker);
            double pureBefore = pureEmbed(embedder, sameTexts);
            try (LuceneVectorIndex index = LuceneVectorIndex.open(indexDir, manifest)) {
                Ingestor ingestor = new Ingestor(
                        index,
                        embedder,
                        chunker,
                        new GuardedParser(new TikaDocumentParser(), Duration.ofSeconds(120)),
                        IngestOptions.builder().parseThreads(threads).build());
                IngestReport first = ingestor.ingest(List.of(files), IngestListener.NONE);
                double wall = seconds(first.elapsed());
                IngestReport.Timings t = first.timings();
                System.out.printf(Locale.ROOT, "%nFirst ingest, embedder %s, %d parse threads:%n", spec, threads);
                System.out.printf(
                        Locale.ROOT,
                        "  %d files, %d chunks (%d embedded) in %.1f s: %.2f docs/s, %.2f chunks/s, %d failures%n",
                        first.filesIndexed(),
                        first.chunks(),
                        first.chunksEmbedded(),
                        wall,
                        first.filesIndexed() / wall,
                        first.chunks() / wall,
                        first.failures().size());
                System.out.printf(
                        Locale.ROOT,
                        "  share of wall time: plan %.1f%%, parse %.1f%%, chunk %.1f%% (both summed"
                                + " over threads), embed %.1f%%, index %.1f%%%n",
                        pct(t.plan(), wall),
                        pct(t.parse(), wall),
                        pct(t.chunk(), wall),
                        pct(t.embed(), wall),
                        pct(t.index(), wall));

                // the same chunk texts, embedded alone again
                List<String> texts = new ArrayList<>();
                for (SourceDocument d : index.documents().values()) {
                    for (ChunkRecord r : index.chunkRecords(d.id())) {
                        texts.add(embeddingText(d.title(), r.text()));
                    }
                }
                double pureAfter = pureEmbed(embedder, texts);
                double pure = (pureBefore + pureAfter) / 2;
                System.out.printf(
                        Locale.ROOT,
                        "  pure embedding of the same %d chunk texts: %.1f s before the ingest, %.1f s after (%.2f"
                                + " chunks/s on average)%n",
                        texts.size(),
                        pureBefore,
                        pureAfter,
                        texts.size() / pure);
                System.out.printf(
                        Locale.ROOT,
                        "  overhead ratio ingest wall / pure embedding (mean of before and after): %.2f; embedder"
                                + " busy %.1f%% of ingest wall time%n",
                        wall / pure,
                        pct(t.embed(), wall));
                System.out.printf(
                        Locale.ROOT,
                        "  embedder throughput inside the ingest %.2f chunks/s vs %.2f alone: the gap is CPU the parse"
                                + " threads (and anything else on the machine) took from the model, not waiting%n",
                        first.chunksEmbedded() / seconds(t.embed()),
                        texts.size() / pure);

                IngestReport again = ingestor.ingest(List.of(files), IngestListener.NONE);
                System.out.printf(
                        Locale.ROOT,
                        "%nUnchanged re-run of %d files: %.2f s, %d embedded, %d unchanged%n",
                        docs,
                        seconds(again.elapsed()),
                        again.chunksEmbedded(),
                        again.filesUnchanged());
            }
        }
    }

    private static List<String> chunkTexts(Path files, Path indexDir, StructuredChunker chunker) {
        HashingEmbedder hashing = new HashingEmbedder(16);
        try (LuceneVectorIndex index =
                LuceneVectorIndex.open(indexDir, IndexManifest.of(hashing.spec(), 16, chunker.describe()))) {
            new Ingestor(index, hashing, chunker, new TikaDocumentParser()).ingest(List.of(files), IngestListener.NONE);
            List<String> texts = new ArrayList<>();
            for (SourceDocument d : index.documents().values()) {
                for (ChunkRecord r : index.chunkRecords(d.id())) {
                    texts.add(embeddingText(d.title(), r.text()));
                }
            }
            return texts;
        }
    }

    private static double pureEmbed(Embedder embedder, List<String> texts) {
        long t0 = System.nanoTime();
        int batch = embedder.preferredBatchSize();
        for (int i = 0; i < texts.size(); i += batch) {
            embedder.embedDocuments(texts.subList(i, Math.min(texts.size(), i + batch)));
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void thousandFiles(Path work) throws IOException {
        Path files = Files.createDirectories(work.resolve("thousand"));
        for (int i = 0; i < 1000; i++) {
            Path dir = Files.createDirectories(files.resolve("d" + (i % 20)));
            Files.writeString(
                    dir.resolve("f" + i + ".md"),
                    "# File " + i + "\n\nSome text about topic " + i + ". " + "Filler sentence. ".repeat(20));
        }
        HashingEmbedder embedder = new HashingEmbedder(64);
        StructuredChunker chunker = new StructuredChunker(ChunkingSettings.DEFAULT);
        try (LuceneVectorIndex index = LuceneVectorIndex.open(
                work.resolve("index-1000"), IndexManifest.of(embedder.spec(), 64, chunker.describe()))) {
            Ingestor ingestor = new Ingestor(index, embedder, chunker, new TikaDocumentParser());
            IngestReport first = ingestor.ingest(List.of(files), IngestListener.NONE);
            int calls = embedder.documentsEmbedded();
            IngestReport again = ingestor.ingest(List.of(files), IngestListener.NONE);
            System.out.printf(
                    Locale.ROOT,
                    "%n1,000 files (hashing embedder): first ingest %.2f s; unchanged re-run %.2f s"
                            + " (plan %.2f s), %d chunks embedded in the re-run, %d unchanged%n",
                    seconds(first.elapsed()),
                    seconds(again.elapsed()),
                    seconds(again.timings().plan()),
                    embedder.documentsEmbedded() - calls,
                    again.filesUnchanged());
        }
    }

    private static int writeCorpus(Path corpus, Path dir, int limit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
            String line;
            while (n < limit && (line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode doc = json.readTree(line);
                String id = doc.path("_id").asText().replaceAll("[^A-Za-z0-9_.-]", "_");
                String title = doc.path("title").asText("");
                String text = doc.path("text").asText("");
                Files.writeString(dir.resolve(id + ".md"), "# " + title + "\n\n" + text + "\n");
                n++;
            }
        }
        return n;
    }

    private static String embeddingText(String title, String chunk) {
        return title.isBlank() || chunk.startsWith(title) ? chunk : title + "\n\n" + chunk;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double pct(Duration d, double wall) {
        return 100.0 * seconds(d) / wall;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private IngestBenchmark() {}
}
