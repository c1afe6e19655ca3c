package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.chunk.RecursiveChunker;
import dev.localrag.core.chunk.StructuredChunker;
import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.testing.HashingEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving a document carries its chunks over whichever chunker made them. */
class MoveTest {

    private static final ChunkingSettings SETTINGS = new ChunkingSettings(64, 0);

    @TempDir
    Path tmp;

    @Test
    void anUntitledStructuredChunksBreadcrumbFollowsTheNewName() throws IOException {
        List<ChunkRecord> moved = ingestThenMove(new StructuredChunker(SETTINGS), "## Ideas\n\nnotes.md holds ideas.");

        assertThat(moved).extracting(ChunkRecord::text).containsExactly("ideas.md › Ideas\n\nnotes.md holds ideas.");
    }

    @Test
    void aTitledStructuredChunksBreadcrumbKeepsItsTitle() throws IOException {
        List<ChunkRecord> moved =
                ingestThenMove(new StructuredChunker(SETTINGS), "# Ideas\n\n## Soon\n\nnotes.md holds ideas.");

        assertThat(moved).extracting(ChunkRecord::text).containsExactly("Ideas › Soon\n\nnotes.md holds ideas.");
    }

    @Test
    void aRecursiveChunkThatMerelyStartsWithTheOldNameKeepsItsText() throws IOException {
        String text = "notes.md is where the ideas go, one per line.";

        List<ChunkRecord> moved = ingestThenMove(new RecursiveChunker(SETTINGS), text);

        assertThat(moved).extracting(ChunkRecord::text).containsExactly(text);
    }

    /** Ingests {@code docs/notes.md}, renames it to {@code docs/ideas.md}, ingests again: the moved chunks. */
    private List<ChunkRecord> ingestThenMove(Chunker chunker, String content) throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        HashingEmbedder embedder = new HashingEmbedder(32);
        try (LuceneVectorIndex index = LuceneVectorIndex.open(
                tmp.resolve("index"), IndexManifest.of(embedder.spec(), 32, chunker.describe()))) {
            Ingestor ingestor = new Ingestor(index, embedder, chunker, new TikaDocumentParser());
            Path notes = Files.writeString(docs.resolve("notes.md"), content);
            ingestor.ingest(List.of(docs), IngestListener.NONE);
            List<ChunkRecord> before = index.chunkRecords(notes.toString());
            int embedded = embedder.documentsEmbedded();

            Path ideas = Files.move(notes, docs.resolve("ideas.md"));
            IngestReport report = ingestor.ingest(List.of(docs), IngestListener.NONE);

            assertThat(report.moved()).isEqualTo(1);
            assertThat(embedder.documentsEmbedded()).isEqualTo(embedded);
            List<ChunkRecord> after = index.chunkRecords(ideas.toString());
            assertThat(after)
                    .extracting(ChunkRecord::vector)
                    .containsExactlyElementsOf(
                            before.stream().map(ChunkRecord::vector).toList());
            return after;
        }
    }
}
