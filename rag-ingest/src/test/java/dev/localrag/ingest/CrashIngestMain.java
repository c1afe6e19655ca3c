package dev.localrag.ingest;

import dev.localrag.core.chunk.StructuredChunker;
import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.testing.HashingEmbedder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest that {@link CrashSafetyIT} and {@link ResumeIT} run in a child JVM and kill: small batches, a slowed
 * embedder and frequent commits, so a kill lands in every phase of the pipeline.
 */
public final class CrashIngestMain {

    static final int DIMENSION = 32;

    static StructuredChunker chunker() {
        return new StructuredChunker(new ChunkingSettings(48, 0));
    }

    static IndexManifest manifest() {
        return IndexManifest.of(
                new HashingEmbedder(DIMENSION).spec(), DIMENSION, chunker().describe());
    }

    /** Starts this ingest in a child JVM (stdout readable, stderr to {@code log}); {@code journal} may be null. */
    static Process start(Path docs, Path index, long delayMillis, Path journal, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-XX:+UseSerialGC",
                "-cp",
                classpath,
                CrashIngestMain.class.getName(),
                docs.toString(),
                index.toString(),
                Long.toString(delayMillis)));
        if (journal != null) {
            command.add(journal.toString());
        }
        return new ProcessBuilder(command).redirectError(log.toFile()).start();
    }

    public static void main(String[] args) {
        Path docs = Path.of(args[0]);
        Path indexDir = Path.of(args[1]);
        long delayMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Path journal = args.length > 3 ? Path.of(args[3]) : null; // ResumeIT
        try (LuceneVectorIndex index = LuceneVectorIndex.open(indexDir, manifest())) {
            Ingestor ingestor = new Ingestor(
                    index,
                    new SlowEmbedder(new HashingEmbedder(DIMENSION), delayMillis),
                    chunker(),
                    new TikaDocumentParser(),
                    IngestOptions.builder()
                            .commitEveryDocuments(3)
                            .commitInterval(Duration.ofMillis(200))
                            .embeddingJournal(journal)
                            .build());
            IngestReport report = ingestor.ingest(List.of(docs), new IngestListener() {
                @Override
                public void indexed(Path file, int chunks) {
                    System.out.println("indexed " + file.getFileName()); // the test kills after the n-th line
                    System.out.flush();
                }

                @Override
                public void embedded(int chunks) {
                    System.out.println("embedded " + chunks); // ResumeIT kills after the n-th line
                    System.out.flush();
                }
            });
            System.out.println(
                    "done " + report.filesIndexed() + " " + report.failures().size());
        }
    }

    record SlowEmbedder(HashingEmbedder delegate, long delayMillis) implements Embedder {
        @Override
        public EmbedderSpec spec() {
            return delegate.spec();
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String query) {
            return delegate.embedQuery(query);
        }

        @Override
        public int preferredBatchSize() {
            return 4;
        }
    }

    private CrashIngestMain() {}
}
