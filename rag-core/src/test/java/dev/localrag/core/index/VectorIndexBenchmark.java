package dev.localrag.core.index;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.localrag.core.embed.EmbedderSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Recall@10 against exact search, latency (p50/p99, 1 and 2 threads), build time and bytes per
 * vector for each vector format, with LangChain4j's {@link InMemoryEmbeddingStore} as the baseline
 * in the same run. Not a test: run it with
 *
 * <pre>./mvnw -q -pl rag-core test-compile exec:exec@bench [-Dbench.n=100000 -Dbench.dim=384
 *     -Dbench.queries=200 -Dbench.formats=float32,int8,int4,bbq -Dbench.data=text|random|lowrank
 *     -Dbench.candidates=100,200 -Dbench.heap=6g]</pre>
 *
 * {@code -Dbench.data=text} (default): real embeddings, sentences of {@code datasets/scifact}
 * embedded with the in-process bge-small model (384-d, {@code bench.dim} ignored) and SciFact's
 * claims as queries; embedded once, then cached in {@code bench.cache} (default {@code
 * ~/.cache/localrag/bench}). {@code random}: seeded random unit vectors, the worst case for HNSW
 * and quantization (no structure; nearest neighbours are barely nearer than the rest). {@code
 * lowrank}: unit vectors of intrinsic dimension 32 embedded in {@code dim} dimensions plus noise.
 * Each format's index is built once and searched with each {@code bench.candidates} value (the
 * HNSW candidates per search, {@link SearchRequest#candidates()}; 0 = the default). "hot" bytes
 * are what a search touches per vector: graph plus the vectors the graph is searched with
 * (quantized ones for quantized formats; the float copies are read only for the oversampled
 * candidates).
 */
public final class VectorIndexBenchmark {

    private static final int K = 10;
    private static final java.util.regex.Pattern MAPPING_HEADER =
            java.util.regex.Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.n", 100_000);
        int dim = Integer.getInteger("bench.dim", 384);
        int queries = Integer.getInteger("bench.queries", 200);
        List<String> formats = Arrays.asList(
                System.getProperty("bench.formats", "float32,int8,int4,bbq").split(","));
        int[] candidates = Arrays.stream(
                        System.getProperty("bench.candidates", "0").split(","))
                .mapToInt(c -> Integer.parseInt(c.strip()))
                .toArray();
        System.out.printf(
                Locale.ROOT,
                "LocalRAG vector index benchmark: %,d x %d unit vectors, %d queries, k=%d, %d cores, Java %s%n",
                n,
                dim,
                queries,
                K,
                Runtime.getRuntime().availableProcessors(),
                Runtime.version());

        String data = System.getProperty("bench.data", "text");
        float[][] vectors;
        float[][] qs;
        switch (data) {
            case "text" -> {
                Path cache = Path.of(
                        System.getProperty("bench.cache", System.getProperty("user.home") + "/.cache/localrag/bench"));
                float[][][] loaded = TextVectors.load(
                        Path.of(System.getProperty("bench.dataset", "../datasets/scifact")), n, queries, cache);
                vectors = loaded[0];
                qs = loaded[1];
                if (vectors.length < n) {
                    System.out.printf(Locale.ROOT, "the corpus gives only %,d texts: using them all%n", vectors.length);
                }
            }
            case "random" -> {
                vectors = RandomVectors.unitVectors(n, dim, 42);
                qs = RandomVectors.unitVectors(queries, dim, 4242);
            }
            case "lowrank" -> { // like text embeddings: low intrinsic dimension
                vectors = RandomVectors.lowRankUnitVectors(n, dim, 32, 7, 42);
                qs = RandomVectors.lowRankUnitVectors(queries, dim, 32, 7, 4242);
            }
            default ->
                throw new IllegalArgumentException("bench.data must be text, random or lowrank, but was " + data);
        }
        System.out.printf(
                Locale.ROOT,
                "data: %s, %,d x %d vectors, %d queries%n",
                data,
                vectors.length,
                vectors[0].length,
                qs.length);
        long t0 = System.nanoTime();
        float[][] all = vectors;
        List<Set<Integer>> truth = Arrays.stream(qs)
                .parallel()
                .map(q -> {
                    Set<Integer> s = new HashSet<>();
                    for (int i : RandomVectors.exactTopK(all, q, K)) {
                        s.add(i);
                    }
                    return s;
                })
                .toList();
        System.out.printf(Locale.ROOT, "exact ground truth: %.1f s%n%n", (System.nanoTime() - t0) / 1e9);

        List<Row> rows = new ArrayList<>();
        rows.add(inMemory(vectors, qs, truth));
        for (String f : formats) {
            rows.addAll(lucene(VectorFormat.parse(f.strip()), candidates, vectors, qs, truth));
        }
        print(rows);
    }

    record Row(
            String name,
            double recall,
            double p50,
            double p99,
            double p50x2,
            double p99x2,
            double buildSeconds,
            double mergeSeconds,
            double diskBytesPerVector,
            double hotBytesPerVector,
            double hotMegabytes,
            double touchedMegabytes) {}

    private static Row inMemory(float[][] vectors, float[][] qs, List<Set<Integer>> truth) throws Exception {
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>(vectors.length);
        List<Embedding> embeddings = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            ids.add(Integer.toString(i));
            embeddings.add(Embedding.from(vectors[i]));
        }
        store.addAll(ids, embeddings, java.util.Collections.nCopies(vectors.length, (TextSegment) null));
        double build = (System.nanoTime() - t0) / 1e9;
        IntFunction<List<Integer>> search = q -> store
                .search(EmbeddingSearchRequest.builder()
                        .queryEmbedding(Embedding.from(qs[q]))
                        .maxResults(K)
                        .build())
                .matches()
                .stream()
                .map(EmbeddingMatch::embeddingId)
                .map(Integer::valueOf)
                .toList();
        // a full scan per query: fewer queries keep the baseline's run short without changing its latency
        int measured = Math.min(qs.length, Integer.getInteger("bench.baselineQueries", 50));
        double[] one = latencies(search, measured, 1);
        double[] two = latencies(search, measured, 2);
        double recall = recall(search, truth, measured);
        double bytes = vectors[0].length * 4.0; // float[] per vector, excluding object overhead
        return new Row(
                "InMemoryEmbeddingStore",
                recall,
                p(one, 50),
                p(one, 99),
                p(two, 50),
                p(two, 99),
                build,
                0,
                0,
                bytes,
                bytes * vectors.length / 1e6,
                Double.NaN);
    }

    private static List<Row> lucene(
            VectorFormat format, int[] candidates, float[][] vectors, float[][] qs, List<Set<Integer>> truth)
            throws Exception {
        Path dir =
                Files.createTempDirectory("localrag-bench-" + format.encoding().id());
        try {
            IndexManifest manifest = IndexManifest.of(
                            EmbedderSpec.parse("onnx:random-" + vectors[0].length), vectors[0].length, "none")
                    .withVectorFormat(format);
            double build, merge;
            try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, manifest)) {
                long t0 = System.nanoTime();
                // like a bulk ingest: one loader per core (the writer builds each thread's graph as it adds)
                int loaders = Integer.getInteger(
                        "bench.loadThreads", Runtime.getRuntime().availableProcessors());
                java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                ExecutorService pool = Executors.newFixedThreadPool(loaders);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < loaders; t++) {
                        done.add(pool.submit(() -> {
                            for (int i = next.getAndIncrement(); i < vectors.length; i = next.getAndIncrement()) {
                                index.replaceDocument(
                                        new SourceDocument(Integer.toString(i), "", "", "", 0, 0),
                                        List.of(new ChunkRecord(0, "", vectors[i])));
                            }
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                } finally {
                    pool.shutdownNow();
                }
                index.commit();
                build = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                index.forceMerge(1);
                merge = (System.nanoTime() - t0) / 1e9;
            }
            long disk = 0, hot = 0;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    long size = Files.size(f);
                    disk += size;
                    String name = f.getFileName().toString();
                    boolean quantized = format.encoding() != VectorFormat.Encoding.FLOAT32;
                    if (name.endsWith(".vex") || (quantized ? name.endsWith(".veq") : name.endsWith(".vec"))) {
                        hot += size;
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(dir)) {
                for (int c : candidates) {
                    IntFunction<List<Integer>> search = q -> index
                            .search(SearchRequest.builder()
                                    .mode(SearchMode.VECTOR)
                                    .vector(qs[q])
                                    .k(K)
                                    .candidates(c)
                                    .build())
                            .stream()
                            .map(h -> Integer.valueOf(h.documentId()))
                            .toList();
                    for (int warm = 0; warm < 3; warm++) {
                        latencies(search, qs.length, 1); // warm-up: JIT and page cache
                    }
                    double[] one = latencies(search, qs.length, 1);
                    double[] two = latencies(search, qs.length, 2);
                    rows.add(new Row(
                            "Lucene " + format + " ef=" + (c == 0 ? SearchRequest.DEFAULT_CANDIDATES + "(default)" : c),
                            recall(search, truth, qs.length),
                            p(one, 50),
                            p(one, 99),
                            p(two, 50),
                            p(two, 99),
                            build,
                            merge,
                            (double) disk / vectors.length,
                            (double) hot / vectors.length,
                            hot / 1e6,
                            mappedResidentBytes(dir) / 1e6));
                }
            }
            return rows;
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * Bytes of the index's files that this process has in memory through its mappings (Lucene
     * memory-maps index files): what the searches so far actually touched. Linux only; NaN
     * elsewhere.
     */
    private static double mappedResidentBytes(Path dir) {
        Path smaps = Path.of("/proc/self/smaps");
        if (!Files.isReadable(smaps)) {
            return Double.NaN;
        }
        try {
            String prefix = dir.toRealPath().toString() + "/";
            long kb = 0;
            boolean inIndex = false;
            for (String line : Files.readAllLines(smaps)) {
                if (MAPPING_HEADER.matcher(line).lookingAt()) {
                    inIndex = line.contains(prefix); // a mapping's header line: range perms offset dev inode path
                } else if (inIndex && line.startsWith("Rss:")) {
                    kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return kb * 1024.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double recall(IntFunction<List<Integer>> search, List<Set<Integer>> truth, int queries) {
        double found = 0;
        for (int q = 0; q < queries; q++) {
            for (int id : search.apply(q)) {
                if (truth.get(q).contains(id)) {
                    found++;
                }
            }
        }
        return found / (queries * (double) K);
    }

    /** Milliseconds per query; with {@code threads} threads each running every query. */
    private static double[] latencies(IntFunction<List<Integer>> search, int queries, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    double[] ms = new double[queries];
                    for (int i = 0; i < queries; i++) {
                        int q = (i + offset * 7) % queries;
                        long t0 = System.nanoTime();
                        search.apply(q);
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    return ms;
                }));
            }
            double[] all = new double[0];
            for (Future<double[]> f : futures) {
                double[] part = f.get();
                double[] merged = Arrays.copyOf(all, all.length + part.length);
                System.arraycopy(part, 0, merged, all.length, part.length);
                all = merged;
            }
            Arrays.sort(all);
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double p(double[] sorted, int percentile) {
        int i = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static void print(List<Row> rows) {
        Row base = rows.getFirst();
        String header = String.format(
                Locale.ROOT,
                "%-66s %9s %9s %9s %9s %9s %9s %8s %8s %10s %9s %8s %10s",
                "index",
                "recall@10",
                "p50 ms",
                "p99 ms",
                "p50 ms 2t",
                "p99 ms 2t",
                "speedup",
                "build s",
                "merge s",
                "disk B/vec",
                "hot B/vec",
                "hot MB",
                "touched MB");
        System.out.println(header);
        System.out.println("-".repeat(header.length()));
        for (Row r : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "%-66s %9.3f %9.3f %9.3f %9.3f %9.3f %8.0fx %8.1f %8.1f %10.0f %9.0f %8.0f %10.0f%n",
                    r.name(),
                    r.recall(),
                    r.p50(),
                    r.p99(),
                    r.p50x2(),
                    r.p99x2(),
                    base.p50() / r.p50(),
                    r.buildSeconds(),
                    r.mergeSeconds(),
                    r.diskBytesPerVector(),
                    r.hotBytesPerVector(),
                    r.hotMegabytes(),
                    r.touchedMegabytes());
        }
        System.out.println();
        System.out.println("speedup = InMemoryEmbeddingStore p50 / this p50 (single thread), measured in this run."
                + " Lucene rows search through LuceneVectorIndex.search (stored fields of the 10 hits included).");
        System.out.println("hot MB = graph + the vectors the graph is searched with (what random queries keep in the"
                + " page cache); touched MB = index pages this process has mapped in after all searches so far.");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
