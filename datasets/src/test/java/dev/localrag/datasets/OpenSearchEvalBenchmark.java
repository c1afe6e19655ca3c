package dev.localrag.datasets;

import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.Embedders;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.HybridCalibration;
import dev.localrag.core.index.OpenSearchLocation;
import dev.localrag.core.index.OpenSearchSettings;
import dev.localrag.core.index.OpenSearchVectorIndex;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.core.testing.OpenSearchTestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (not a test): the same BEIR dataset searched on the local Lucene index and on an
 * OpenSearch index on the 3-node test cluster, holding the very same passages and vectors (copied
 * from the local index, nothing embedded twice). Prints nDCG@10 per mode on both and the difference
 * (issue: within 0.01), then the query latency p50/p99 of each mode on both, side by side. The
 * OpenSearch index is created without the local index's hybrid vector weight and calibrates its own
 * ({@link HybridCalibration#calibrate}, as {@code rag ingest} does on either backend); both weights
 * are printed, with the MRRs they come from, and the modes are followed by {@code zscore:0.6}, hybrid
 * with the fixed weight every index had before calibration.
 *
 * <pre>
 * ./mvnw -q -B -pl datasets -am test-compile dependency:build-classpath -DskipTests \
 *     -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -cp datasets/target/test-classes:datasets/target/classes:$(cat datasets/target/test.cp) \
 *     dev.localrag.datasets.OpenSearchEvalBenchmark datasets/scifact
 * </pre>
 *
 * Arguments: dataset folder (default {@code datasets/scifact}), embedder (default the in-process
 * {@code onnx:bge-small-en-v1.5}), eval cache folder (default {@code ~/.cache/localrag/eval}, shared
 * with {@code rag eval}, so a dataset {@code rag eval} has embedded is not embedded again).
 */
public final class OpenSearchEvalBenchmark {

    private static final int K = 10;

    private OpenSearchEvalBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path datasetDir = Path.of(args.length > 0 ? args[0] : "datasets/scifact");
        EmbedderSpec spec = EmbedderSpec.parse(args.length > 1 ? args[1] : EmbedderSpec.DEFAULT_ONNX.toString());
        Path cache = args.length > 2
                ? Path.of(args[2])
                : Path.of(System.getProperty("user.home"), ".cache", "localrag", "eval");
        BeirDataset dataset = BeirDataset.load(datasetDir);
        OpenSearchTestCluster cluster = OpenSearchTestCluster.shared();
        try (Embedder embedder = Embedders.create(spec, OllamaSettings.builder().build());
                EvalIndex local =
                        EvalIndex.openOrBuild(dataset, embedder, PassageLayout.WHOLE, cache, System.out::println);
                OpenSearchVectorIndex remote = OpenSearchVectorIndex.open(
                        OpenSearchLocation.parse(cluster.url(OpenSearchTestCluster.newIndexName("bench"))),
                        OpenSearchSettings.DEFAULT.withShards(2, 1),
                        local.index().manifest().withHybridVectorWeight(Double.NaN))) {
            long copyStart = System.nanoTime();
            Map<String, SourceDocument> documents = local.index().documents();
            for (SourceDocument d : documents.values()) {
                List<ChunkRecord> chunks = local.index().chunkRecords(d.id());
                remote.replaceDocument(d, chunks);
            }
            remote.commit();
            System.out.printf(
                    Locale.ROOT,
                    "%s: %d documents copied to %s in %.0f s%n",
                    dataset.name(),
                    documents.size(),
                    remote.location(),
                    (System.nanoTime() - copyStart) / 1e9);

            // each index calibrates its own hybrid weight, as rag ingest does on either backend
            HybridCalibration.Result localWeight = HybridCalibration.measure(local.index(), embedder);
            HybridCalibration.Result remoteWeight = HybridCalibration.calibrate(remote, embedder);
            System.out.printf(
                    Locale.ROOT,
                    "hybrid vector weight: local %.3f (stored %.3f; MRR vector %.3f / keyword %.3f),"
                            + " opensearch %.3f (stored %.3f; MRR vector %.3f / keyword %.3f)%n",
                    localWeight.vectorWeight(),
                    local.index().manifest().defaultVectorWeight(),
                    localWeight.vectorMrr(),
                    localWeight.keywordMrr(),
                    remoteWeight.vectorWeight(),
                    remote.manifest().defaultVectorWeight(),
                    remoteWeight.vectorMrr(),
                    remoteWeight.keywordMrr());

            List<JudgedQuery> queries = dataset.queries();
            System.out.printf(
                    Locale.ROOT,
                    "%n%-10s %10s %10s %9s   %s%n",
                    "mode",
                    "local",
                    "opensearch",
                    "diff",
                    "nDCG@10 over " + queries.size() + " queries (" + spec + ")");
            List<EvalMode> modes = new ArrayList<>(EvalMode.ALL);
            modes.add(EvalMode.parse("zscore:0.6")); // hybrid with the fixed weight, before calibration
            for (EvalMode mode : modes) {
                double a = new RetrievalEvaluator(local.index(), embedder, K, 1)
                        .evaluate(mode, queries)
                        .ndcg();
                double b = new RetrievalEvaluator(remote, embedder, K, 1)
                        .evaluate(mode, queries)
                        .ndcg();
                System.out.printf(Locale.ROOT, "%-10s %10.4f %10.4f %+9.4f%n", mode.name(), a, b, b - a);
            }

            System.out.printf(
                    Locale.ROOT,
                    "%n%-8s %12s %12s %12s %12s   %s%n",
                    "mode",
                    "local p50",
                    "local p99",
                    "cluster p50",
                    "cluster p99",
                    "ms per search, k=" + K + ", query vectors embedded beforehand");
            List<float[]> vectors = new ArrayList<>();
            for (JudgedQuery q : queries) {
                vectors.add(embedder.embedQuery(q.text()));
            }
            for (SearchMode mode : SearchMode.values()) {
                double[] l = latencies(local.index(), mode, queries, vectors);
                double[] r = latencies(remote, mode, queries, vectors);
                System.out.printf(
                        Locale.ROOT,
                        "%-8s %12.2f %12.2f %12.2f %12.2f%n",
                        mode.toString(),
                        percentile(l, 0.50),
                        percentile(l, 0.99),
                        percentile(r, 0.50),
                        percentile(r, 0.99));
            }
        }
    }

    /** Milliseconds per search, after one warm-up pass over every query. */
    private static double[] latencies(
            VectorIndex index, SearchMode mode, List<JudgedQuery> queries, List<float[]> vectors) {
        for (int i = 0; i < queries.size(); i++) {
            index.search(mode, queries.get(i).text(), vectors.get(i), K);
        }
        double[] out = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            long start = System.nanoTime();
            index.search(mode, queries.get(i).text(), vectors.get(i), K);
            out[i] = (System.nanoTime() - start) / 1e6;
        }
        return out;
    }

    private static double percentile(double[] values, double p) {
        List<Double> sorted = new ArrayList<>();
        for (double v : values) {
            sorted.add(v);
        }
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
