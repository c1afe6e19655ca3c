package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.chunk.StructuredChunker;
import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.testing.HashingEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalSyncTest {

    @TempDir
    Path tmp;

    private Path docs;
    private HashingEmbedder embedder;
    private StructuredChunker chunker;
    private LuceneVectorIndex index;
    private final AtomicInteger parses = new AtomicInteger();
    private DocumentParser countingParser;

    @BeforeEach
    void setUp() throws IOException {
        docs = Files.createDirectories(tmp.resolve("docs"));
        embedder = new HashingEmbedder(32);
        chunker = new StructuredChunker(new ChunkingSettings(64, 0));
        index = LuceneVectorIndex.open(tmp.resolve("index"), IndexManifest.of(embedder.spec(), 32, chunker.describe()));
        TikaDocumentParser tika = new TikaDocumentParser();
        countingParser = file -> {
            parses.incrementAndGet();
            return tika.parse(file);
        };
    }

    @AfterEach
    void tearDown() {
        index.close();
    }

    private Ingestor ingestor(IngestOptions options) {
        return new Ingestor(index, embedder, chunker, countingParser, options);
    }

    private IngestReport ingest() {
        return ingestor(IngestOptions.DEFAULT).ingest(List.of(docs), IngestListener.NONE);
    }

    @Test
    void anUnchangedFolderIsNeitherParsedNorEmbedded() throws IOException {
        for (int i = 0; i < 20; i++) {
            Files.writeString(docs.resolve("f" + i + ".md"), "# File " + i + "\n\nContent number " + i + ".");
        }
        ingest();
        int embeddedBefore = embedder.documentsEmbedded();
        int parsesBefore = parses.get();

        IngestReport again = ingest();

        assertThat(again.filesUnchanged()).isEqualTo(20);
        assertThat(again.filesIndexed()).isZero();
        assertThat(embedder.documentsEmbedded()).isEqualTo(embeddedBefore);
        assertThat(parses.get()).isEqualTo(parsesBefore);
    }

    @Test
    void aTouchedFileWithTheSameContentIsNotParsedAndItsTimeIsRefreshed() throws IOException {
        Path f = Files.writeString(docs.resolve("a.md"), "# A\n\nalpha");
        ingest();
        Files.setLastModifiedTime(
                f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 60_000));
        int parsesBefore = parses.get();

        IngestReport touched = ingest();

        assertThat(touched.filesUnchanged()).isEqualTo(1);
        assertThat(parses.get()).isEqualTo(parsesBefore);
        assertThat(index.documents().get(f.toString()).modifiedMillis())
                .isEqualTo(Files.getLastModifiedTime(f).toMillis());
        assertThat(index.chunkRecords(f.toString())).hasSize(1);
    }

    @Test
    void authorDateLanguageAndPagesAreStoredFilterableAndSurviveTouchAndMove() throws IOException {
        // given a parser that reports a file's metadata, as Tika does for PDFs and office files
        Path f = Files.writeString(docs.resolve("report.md"), "# Report\n\nQuarterly figures.");
        Files.writeString(docs.resolve("other.md"), "# Other\n\nQuarterly figures too.");
        DocumentParser withMetadata = file -> file.getFileName().toString().equals("report.md")
                ? new ParsedFile(
                        List.of(new ParsedDocument(
                                "",
                                "# Report\n\nQuarterly figures.",
                                "Report",
                                "application/pdf",
                                "Ada Lovelace",
                                "2024-03-01T10:00:00Z",
                                "en",
                                12,
                                false)),
                        List.of())
                : countingParser.parse(file);
        Ingestor ingestor = new Ingestor(index, embedder, chunker, withMetadata, IngestOptions.DEFAULT);

        // when ingested
        ingestor.ingest(List.of(docs), IngestListener.NONE);

        // then the document carries them, and a filter on them runs inside the search
        assertThat(index.documents().get(f.toString()).metadata())
                .containsEntry("author", "Ada Lovelace")
                .containsEntry("created", "2024-03-01T10:00:00Z")
                .containsEntry("language", "en")
                .containsEntry("pages", 12);
        assertThat(index.documents().get(docs.resolve("other.md").toString()).metadata())
                .doesNotContainKey("author");
        assertThat(index
                        .search(dev.localrag.core.index.SearchRequest.builder()
                                .mode(dev.localrag.core.index.SearchMode.KEYWORD)
                                .text("quarterly figures")
                                .k(5)
                                .filter(dev.localrag.core.index.FilterExpressions.parse(
                                        List.of("author=Ada Lovelace", "pages=12"), "--filter"))
                                .build())
                        .stream()
                        .map(h -> h.documentId())
                        .distinct())
                .containsExactly(f.toString());

        // and when the file is touched, then moved, the metadata stays without parsing again
        Files.setLastModifiedTime(
                f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 60_000));
        ingestor.ingest(List.of(docs), IngestListener.NONE);
        assertThat(index.documents().get(f.toString()).metadata()).containsEntry("author", "Ada Lovelace");
        Path moved = Files.createDirectories(docs.resolve("archive")).resolve("report.md");
        Files.move(f, moved);
        ingestor.ingest(List.of(docs), IngestListener.NONE);
        assertThat(index.documents().get(moved.toString()).metadata())
                .containsEntry("author", "Ada Lovelace")
                .containsEntry("pages", 12);
    }

    @Test
    void aChangedFileReEmbedsOnlyTheChunksWhoseTextChanged() throws IOException {
        Path f = docs.resolve("guide.md");
        Files.writeString(
                f, "# Guide\n\n## One\n\nFirst section.\n\n## Two\n\nSecond section.\n\n## Three\n\nThird section.");
        ingest();
        List<ChunkRecord> before = index.chunkRecords(f.toString());
        assertThat(before).hasSize(3);
        int embeddedBefore = embedder.documentsEmbedded();

        // when one section changes
        Files.writeString(
                f,
                "# Guide\n\n## One\n\nFirst section.\n\n## Two\n\nSecond section, revised.\n\n## Three\n\nThird section.");
        IngestReport changed = ingest();

        // then one chunk is embedded, two reuse their stored vectors, and the document is replaced
        assertThat(changed.updated()).isEqualTo(1);
        assertThat(embedder.documentsEmbedded() - embeddedBefore).isEqualTo(1);
        assertThat(changed.chunksEmbedded()).isEqualTo(1);
        assertThat(changed.chunksReused()).isEqualTo(2);
        List<ChunkRecord> after = index.chunkRecords(f.toString());
        assertThat(after)
                .extracting(ChunkRecord::text)
                .anySatisfy(t -> assertThat(t).contains("revised"));
        assertThat(after.get(0).vector()).isEqualTo(before.get(0).vector());
        assertThat(after.get(2).vector()).isEqualTo(before.get(2).vector());
    }

    @Test
    void deletedFilesArePrunedUnlessPruningIsOff() throws IOException {
        Files.writeString(docs.resolve("keep.txt"), "keep me");
        Path gone = Files.writeString(docs.resolve("gone.txt"), "delete me");
        ingest();
        Files.delete(gone);

        IngestReport kept =
                ingestor(IngestOptions.builder().prune(false).build()).ingest(List.of(docs), IngestListener.NONE);
        assertThat(kept.deleted()).isZero();
        assertThat(index.documents()).containsKey(gone.toString());

        IngestReport pruned = ingest();
        assertThat(pruned.deleted()).isEqualTo(1);
        assertThat(index.documents()).containsOnlyKeys(docs.resolve("keep.txt").toString());
    }

    @Test
    void aSingleFileIngestNeverPrunesTheRestOfTheIndex() throws IOException {
        Files.writeString(docs.resolve("a.txt"), "alpha");
        Path b = Files.writeString(docs.resolve("b.txt"), "bravo");
        ingest();

        ingestor(IngestOptions.DEFAULT).ingest(List.of(b), IngestListener.NONE);

        assertThat(index.documents()).hasSize(2);
    }

    @Test
    void aRenamedFileIsMovedWithoutParsingOrEmbedding() throws IOException {
        // no title: its chunks' breadcrumb starts with the file name, which the move must rewrite
        Path old = Files.writeString(docs.resolve("old-name.md"), "Some content that will move.");
        ingest();
        List<ChunkRecord> before = index.chunkRecords(old.toString());
        int embeddedBefore = embedder.documentsEmbedded();
        int parsesBefore = parses.get();

        Path moved = Files.createDirectories(docs.resolve("sub")).resolve("new-name.md");
        Files.move(old, moved);
        IngestReport report = ingest();

        assertThat(report.moved()).isEqualTo(1);
        assertThat(report.deleted()).isZero();
        assertThat(embedder.documentsEmbedded()).isEqualTo(embeddedBefore);
        assertThat(parses.get()).isEqualTo(parsesBefore);
        assertThat(index.documents()).containsOnlyKeys(moved.toString());
        List<ChunkRecord> after = index.chunkRecords(moved.toString());
        assertThat(after).hasSameSizeAs(before);
        assertThat(after.getFirst().vector()).isEqualTo(before.getFirst().vector());
        assertThat(after.getFirst().text()).startsWith("new-name.md").contains("Some content that will move.");
    }

    @Test
    void aDryRunPrintsThePlanAndChangesNothing() throws IOException {
        Files.writeString(docs.resolve("same.txt"), "same");
        Path changed = Files.writeString(docs.resolve("changed.txt"), "before");
        Path gone = Files.writeString(docs.resolve("gone.txt"), "gone");
        ingest();
        Files.writeString(changed, "after, longer");
        Files.delete(gone);
        Files.writeString(docs.resolve("new.txt"), "new");
        int embeddedBefore = embedder.documentsEmbedded();

        IngestReport plan =
                ingestor(IngestOptions.builder().dryRun(true).build()).ingest(List.of(docs), IngestListener.NONE);

        assertThat(plan.dryRun()).isTrue();
        assertThat(List.of(plan.added(), plan.updated(), plan.deleted(), plan.filesUnchanged()))
                .containsExactly(1, 1, 1, 1);
        assertThat(embedder.documentsEmbedded()).isEqualTo(embeddedBefore);
        assertThat(index.documents())
                .containsKey(gone.toString())
                .doesNotContainKey(docs.resolve("new.txt").toString());
    }

    @Test
    void anEmbeddingFailureSkipsThatFileOnlyAndFailFastStopsTheRun() throws IOException {
        Embedder poisoned = new PoisonEmbedder(embedder);
        for (int i = 0; i < 6; i++) {
            Files.writeString(docs.resolve("f" + i + ".txt"), i == 2 ? "POISON here" : "fine text " + i);
        }
        // batch size 1 so that the poisoned text fails alone
        Ingestor ingestor = new Ingestor(index, poisoned, chunker, countingParser, IngestOptions.DEFAULT);

        IngestReport report = ingestor.ingest(List.of(docs), IngestListener.NONE);

        assertThat(report.failures())
                .singleElement()
                .satisfies(f -> assertThat(f.file().getFileName().toString()).isEqualTo("f2.txt"))
                .satisfies(f ->
                        assertThat(f.reason()).startsWith("embedding failed").contains("poison"));
        assertThat(index.documents()).hasSize(5);

        // and with fail-fast a broken file stops the run
        Files.write(docs.resolve("a-broken.pdf"), "%PDF-1.4 broken".getBytes());
        Files.writeString(docs.resolve("z-new.txt"), "a new file after the broken one");
        IngestReport stopped = new Ingestor(
                        index,
                        embedder,
                        chunker,
                        countingParser,
                        IngestOptions.builder().failFast(true).parseThreads(1).build())
                .ingest(List.of(docs), IngestListener.NONE);
        assertThat(stopped.stoppedEarly()).isTrue();
        assertThat(stopped.failures())
                .extracting(f -> f.file().getFileName().toString())
                .contains("a-broken.pdf");
        assertThat(stopped.deleted()).isZero();
    }

    @Test
    void aFileNameThatIsNotValidUtf8IsIndexedAndRecognisedOnTheNextRun() throws Exception {
        // given a file whose name is Latin-1 bytes ("caf\xe9.txt"), made by the shell since Java names are UTF-8
        Process sh = new ProcessBuilder(
                        "sh", "-c", "printf 'Latin-1 named file about espresso.' > \"$(printf 'caf\\351.txt')\"")
                .directory(docs.toFile())
                .start();
        assertThat(sh.waitFor()).isZero();
        assertThat(Files.list(docs).count()).isEqualTo(1);

        IngestReport first = ingest();
        IngestReport again = ingest();

        assertThat(first.failures()).isEmpty();
        assertThat(first.filesIndexed()).isEqualTo(1);
        assertThat(again.filesUnchanged()).isEqualTo(1);
        assertThat(index.documents().values().iterator().next().id()).contains("caf");
    }

    @Test
    void listenerHearsThePlanAndEveryFile() throws IOException {
        Files.writeString(docs.resolve("a.txt"), "alpha");
        Files.writeString(docs.resolve("b.txt"), "bravo");
        List<String> heard = new ArrayList<>();
        ingestor(IngestOptions.DEFAULT).ingest(List.of(docs), new IngestListener() {
            @Override
            public void planned(IngestPlan plan) {
                heard.add("plan " + plan.added().size());
            }

            @Override
            public void indexed(Path file, int chunks) {
                heard.add("indexed " + file.getFileName());
            }
        });

        assertThat(heard).containsExactlyInAnyOrder("plan 2", "indexed a.txt", "indexed b.txt");
        assertThat(heard.getFirst()).isEqualTo("plan 2");
    }

    /** Fails any batch holding a text with POISON in it; embeds one text per call. */
    private record PoisonEmbedder(HashingEmbedder delegate) implements Embedder {
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
            if (texts.stream().anyMatch(t -> t.contains("POISON"))) {
                throw new IllegalStateException("poison in the batch");
            }
            return delegate.embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String query) {
            return delegate.embedQuery(query);
        }

        @Override
        public int preferredBatchSize() {
            return 1;
        }
    }
}
