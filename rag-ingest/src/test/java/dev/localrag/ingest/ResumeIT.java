package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.testing.HashingEmbedder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large file whose ingest is killed part way: search never sees part of it, the vectors embedded
 * before the kill are in the embedding journal, and the re-run embeds only the rest and ends with
 * exactly the index a clean ingest gives.
 */
class ResumeIT {

    @TempDir
    Path tmp;

    @Test
    void aKilledIngestOfALargeFileResumesWithoutEmbeddingItsStoredChunksAgain() throws Exception {
        // given one large text file of 400 distinct paragraphs (about one chunk each)
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            text.append("Paragraph ")
                    .append(i)
                    .append(" tells of river ")
                    .append(i * 7 % 97)
                    .append(", bridge ")
                    .append(i * 13 % 89)
                    .append(" and the lamp lit at hour ")
                    .append(i % 24)
                    .append(" by keeper number ")
                    .append(i)
                    .append(".\n\n");
        }
        Path big = docs.resolve("big.txt");
        Files.writeString(big, text);
        // and the index a clean ingest gives
        Path reference = tmp.resolve("reference");
        List<ChunkRecord> expected = ingestInProcess(docs, reference, null, new CountingEmbedder());
        assertThat(expected.size()).isGreaterThan(100);

        // when an ingest with a journal is killed (kill -9) after 10 of its batches were reported embedded
        Path index = tmp.resolve("index");
        Path journalFile = tmp.resolve("index-ingest.vectors");
        Process child = CrashIngestMain.start(docs, index, 20, journalFile, tmp.resolve("child.log"));
        int reported = waitForEmbeddedChunks(child, 10);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // then search sees nothing of the file, and the journal holds at least what was reported
        assertThat(reported).as("chunks reported embedded before the kill").isPositive();
        try (LuceneVectorIndex partial = LuceneVectorIndex.openReadOnly(index)) {
            assertThat(partial.documents()).doesNotContainKey(big.toString());
            assertThat(partial.stats().chunks()).isZero();
        }
        int stored;
        try (EmbeddingJournal journal = EmbeddingJournal.open(journalFile)) {
            stored = journal.entries().size();
        }
        assertThat(stored).isGreaterThanOrEqualTo(reported).isLessThan(expected.size());

        // when the same ingest runs again
        CountingEmbedder counting = new CountingEmbedder();
        List<ChunkRecord> resumed = ingestInProcess(docs, index, journalFile, counting);

        // then only the chunks not stored before were embedded, none of the stored ones again
        assertThat(counting.texts).hasSize(expected.size() - stored);
        // and the index equals the clean ingest's; the journal is gone
        assertThat(resumed).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(resumed.get(i).text()).isEqualTo(expected.get(i).text());
            assertThat(resumed.get(i).vector()).containsExactly(expected.get(i).vector());
        }
        assertThat(journalFile).doesNotExist();
    }

    private static List<ChunkRecord> ingestInProcess(Path docs, Path indexDir, Path journal, Embedder embedder) {
        try (LuceneVectorIndex index = LuceneVectorIndex.open(indexDir, CrashIngestMain.manifest())) {
            IngestReport report = new Ingestor(
                            index,
                            embedder,
                            CrashIngestMain.chunker(),
                            new TikaDocumentParser(),
                            IngestOptions.builder().embeddingJournal(journal).build())
                    .ingest(List.of(docs), IngestListener.NONE);
            assertThat(report.failures()).isEmpty();
            assertThat(report.filesIndexed()).isEqualTo(1);
            return index.chunkRecords(docs.resolve("big.txt").toString());
        }
    }

    /** Reads the child's "embedded N" lines until {@code batches} were seen; returns the chunks they count. */
    private static int waitForEmbeddedChunks(Process p, int batches) throws Exception {
        AtomicInteger lines = new AtomicInteger();
        AtomicInteger chunks = new AtomicInteger();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("embedded ")) {
                        chunks.addAndGet(Integer.parseInt(line.substring("embedded ".length())));
                        lines.incrementAndGet();
                    }
                }
            } catch (IOException killed) {
                // the child was killed: its pipe closes
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lines.get() < batches && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(p.isAlive())
                .as("the child is still embedding when it is killed")
                .isTrue();
        int seen = chunks.get();
        reader.join(1);
        return seen;
    }

    /** The test embedder of the child, counting the texts it is asked to embed. */
    private static final class CountingEmbedder implements Embedder {
        private final HashingEmbedder delegate = new HashingEmbedder(CrashIngestMain.DIMENSION);
        final List<String> texts = Collections.synchronizedList(new ArrayList<>());

        @Override
        public EmbedderSpec spec() {
            return delegate.spec();
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public List<float[]> embedDocuments(List<String> batch) {
            texts.addAll(batch);
            return delegate.embedDocuments(batch);
        }

        @Override
        public float[] embedQuery(String query) {
            return delegate.embedQuery(query);
        }
    }
}
