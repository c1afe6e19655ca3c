package dev.localrag.datasets;

import dev.localrag.core.Checks;
import dev.localrag.core.LocalRagException;
import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.HybridCalibration;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexMismatchException;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.VectorIndex;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The index of a dataset's corpus, built once per corpus, embedder and passage layout and reused
 * from {@code cacheDir} afterwards. Passage vectors are cached on their own too ({@code
 * vectors/*.f32}), so an index can be rebuilt without embedding again.
 *
 * @param index the open index (read-only once built)
 * @param reused whether an existing index was reused
 * @param passages number of indexed passages
 * @param buildMillis time spent building (0 when reused)
 * @param embedMillis of that, time spent embedding passages (0 when the vectors were cached)
 */
public record EvalIndex(VectorIndex index, boolean reused, int passages, long buildMillis, long embedMillis)
        implements AutoCloseable {

    /** The folder of the cached index. */
    public Path dir() {
        return Path.of(index.location());
    }

    /** Bumped when the way eval indexes are built changes, so old caches are not reused. */
    static final int LAYOUT_VERSION = 1;

    /** Bumped when structured passages change: 2, breadcrumbs led by the title (whole and recursive ones did not change). */
    static final int STRUCTURED_LAYOUT_VERSION = 2;

    private static final String COMPLETE_MARKER = "eval-index-complete.txt";

    /**
     * Opens the cached index for {@code dataset} or builds it.
     *
     * @param progress receives one line now and then while building
     */
    public static EvalIndex openOrBuild(
            BeirDataset dataset, Embedder embedder, PassageLayout layout, Path cacheDir, Consumer<String> progress) {
        Checks.notNull(dataset, "dataset");
        Checks.notNull(embedder, "embedder");
        Checks.notNull(layout, "layout");
        Checks.notNull(cacheDir, "cacheDir");
        Checks.notNull(progress, "progress");
        String key = cacheKey(dataset, embedder, layout);
        Path dir = cacheDir.resolve(dataset.name() + "-" + key.substring(0, 16));
        Path marker = dir.resolve(COMPLETE_MARKER);
        if (Files.isRegularFile(marker)) {
            try {
                if (!(embedder instanceof KeywordOnlyEmbedder)
                        && Double.isNaN(LuceneVectorIndex.readManifest(dir).hybridVectorWeight())) {
                    calibrate(dir, embedder); // cached before indexes were calibrated
                }
                LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(dir);
                return new EvalIndex(index, true, index.stats().chunks(), 0, 0);
            } catch (IndexMismatchException e) { // e.g. written by a LocalRAG with an older index format
                progress.accept("Rebuilding the cached index " + dir + ": it was written in an index format this"
                        + " LocalRAG does not read; its passage vectors are cached, so nothing is embedded again.");
            }
        }
        deleteRecursively(dir); // an interrupted or outdated build: start over
        long start = System.nanoTime();
        Chunker chunker = layout.chunker();
        List<List<PassageLayout.Passage>> perDoc =
                new ArrayList<>(dataset.corpus().size());
        List<String> embedTexts = new ArrayList<>();
        for (CorpusDocument doc : dataset.corpus()) {
            List<PassageLayout.Passage> passages = layout.passages(doc, chunker);
            perDoc.add(passages);
            passages.forEach(p -> embedTexts.add(p.embedText()));
        }
        Path vectorFile = cacheDir.resolve("vectors").resolve(dataset.name() + "-" + key.substring(0, 16) + ".f32");
        long embedStart = System.nanoTime();
        List<float[]> vectors = readVectors(vectorFile, embedTexts.size());
        boolean embedded = vectors == null;
        if (embedded) {
            vectors = embed(embedder, embedTexts, progress);
            writeVectors(vectorFile, vectors);
        }
        long embedMillis = embedded ? (System.nanoTime() - embedStart) / 1_000_000 : 0;
        int dimension = vectors.isEmpty() ? embedder.dimension() : vectors.get(0).length;
        IndexManifest manifest = IndexManifest.of(embedder.spec(), dimension, layout.toString());
        try (LuceneVectorIndex writer = LuceneVectorIndex.open(dir, manifest)) {
            int v = 0;
            for (int i = 0; i < dataset.corpus().size(); i++) {
                CorpusDocument doc = dataset.corpus().get(i);
                List<ChunkRecord> chunks = new ArrayList<>();
                for (PassageLayout.Passage p : perDoc.get(i)) {
                    chunks.add(new ChunkRecord(p.ordinal(), p.text(), vectors.get(v++)));
                }
                writer.replaceDocument(
                        new SourceDocument(
                                doc.id(),
                                doc.title(),
                                "text/plain",
                                "",
                                doc.text().length(),
                                0),
                        chunks);
            }
            writer.commit();
            if (!(embedder instanceof KeywordOnlyEmbedder)) {
                HybridCalibration.calibrate(writer, embedder); // as rag ingest does
            }
        }
        writeString(
                marker,
                "dataset=" + dataset.dir() + "\ncorpus_sha256=" + dataset.corpusSha256() + "\nembedder="
                        + embedder.spec() + "\nlayout=" + layout + "\n");
        long buildMillis = (System.nanoTime() - start) / 1_000_000;
        progress.accept("Indexed " + embedTexts.size() + " passages of "
                + dataset.corpus().size() + " documents in " + dir + " (" + buildMillis / 1000 + " s).");
        return new EvalIndex(LuceneVectorIndex.openReadOnly(dir), false, embedTexts.size(), buildMillis, embedMillis);
    }

    private static void calibrate(Path dir, Embedder embedder) {
        try (LuceneVectorIndex writer = LuceneVectorIndex.open(dir, LuceneVectorIndex.readManifest(dir))) {
            HybridCalibration.calibrate(writer, embedder);
        }
    }

    static String cacheKey(BeirDataset dataset, Embedder embedder, PassageLayout layout) {
        return BeirDataset.sha256("v" + (layout.structured() ? STRUCTURED_LAYOUT_VERSION : LAYOUT_VERSION) + "\n"
                + dataset.corpusSha256() + "\n" + embedder.spec() + "\n" + layout);
    }

    private static List<float[]> embed(Embedder embedder, List<String> texts, Consumer<String> progress) {
        int batch = Math.max(1, embedder.preferredBatchSize());
        List<float[]> out = new ArrayList<>(texts.size());
        long start = System.nanoTime();
        int nextReport = Math.max(batch, texts.size() / 10);
        for (int from = 0; from < texts.size(); from += batch) {
            List<String> slice = texts.subList(from, Math.min(texts.size(), from + batch));
            out.addAll(embedder.embedDocuments(slice));
            if (out.size() >= nextReport && out.size() < texts.size()) {
                double seconds = (System.nanoTime() - start) / 1e9;
                progress.accept(String.format(
                        java.util.Locale.ROOT,
                        "Embedded %d/%d passages with %s (%.0f s, %.1f/s)",
                        out.size(),
                        texts.size(),
                        embedder.spec(),
                        seconds,
                        out.size() / seconds));
                nextReport += Math.max(batch, texts.size() / 10);
            }
        }
        return out;
    }

    private static List<float[]> readVectors(Path file, int expected) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int count = in.readInt();
            int dim = in.readInt();
            if (count != expected || dim <= 0) {
                return null;
            }
            List<float[]> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                float[] v = new float[dim];
                for (int j = 0; j < dim; j++) {
                    v[j] = in.readFloat();
                }
                out.add(v);
            }
            return out;
        } catch (IOException e) {
            return null; // a damaged cache file: embed again and overwrite it
        }
    }

    private static void writeVectors(Path file, List<float[]> vectors) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(vectors.size());
                out.writeInt(vectors.isEmpty() ? 0 : vectors.get(0).length);
                for (float[] v : vectors) {
                    for (float x : v) {
                        out.writeFloat(x);
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write vector cache " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new LocalRagException("Cannot clear the unfinished eval index " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        index.close();
    }
}
