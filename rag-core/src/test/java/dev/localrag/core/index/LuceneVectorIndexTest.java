package dev.localrag.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.testing.HashingEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneVectorIndexTest {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(64);
    private static final IndexManifest MANIFEST = IndexManifest.of(EMBEDDER.spec(), 64, "recursive:400/50");

    @TempDir
    Path dir;

    @Test
    void roundTripSurvivesCloseAndReopen() {
        // given an index with two documents, closed
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, MANIFEST)) {
            index.replaceDocument(
                    doc("/docs/port.md", "Ports"),
                    chunks("Ollama listens on port 11434.", "Set OLLAMA_HOST to change it."));
            index.replaceDocument(doc("/docs/gpu.md", "GPUs"), chunks("Nvidia and AMD GPUs are supported."));
            index.commit();
        }

        // when it is reopened
        try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(dir)) {
            // then the manifest, counts, documents and searches come back
            assertThat(index.manifest()).isEqualTo(MANIFEST);
            assertThat(index.stats()).isEqualTo(new IndexStats(2, 3));
            assertThat(index.documents()).containsOnlyKeys("/docs/port.md", "/docs/gpu.md");
            assertThat(index.documents().get("/docs/port.md").contentHash()).isEqualTo("hash-/docs/port.md");

            for (SearchMode mode : SearchMode.values()) {
                List<SearchHit> hits = search(index, mode, "which port does ollama listen on", 2);
                assertThat(hits).as(mode.toString()).isNotEmpty();
                assertThat(hits.getFirst().documentId()).as(mode.toString()).isEqualTo("/docs/port.md");
                assertThat(hits.getFirst().ordinal()).as(mode.toString()).isZero();
                assertThat(hits.getFirst().title()).isEqualTo("Ports");
            }
        }
    }

    @Test
    void replacingADocumentSwapsAllItsChunksAndDeleteRemovesThem() {
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, MANIFEST)) {
            index.replaceDocument(doc("/a.md", "A"), chunks("old alpha text", "old beta text", "old gamma text"));
            index.commit();
            assertThat(index.chunkCount("/a.md")).isEqualTo(3);

            // when the document is replaced by one with a single chunk
            index.replaceDocument(doc("/a.md", "A"), chunks("new delta text"));
            index.commit();

            // then only the new chunk remains
            assertThat(index.stats()).isEqualTo(new IndexStats(1, 1));
            assertThat(index.chunkCount("/a.md")).isEqualTo(1);
            assertThat(search(index, SearchMode.KEYWORD, "old alpha", 5)).isEmpty();
            assertThat(search(index, SearchMode.KEYWORD, "delta", 5))
                    .extracting(SearchHit::text)
                    .containsExactly("new delta text");

            // and delete removes it
            index.deleteDocument("/a.md");
            index.commit();
            assertThat(index.stats()).isEqualTo(new IndexStats(0, 0));
            assertThat(index.chunkCount("/a.md")).isZero();
        }
    }

    @Test
    void openingWithAnotherEmbedderIsAClearErrorNamingBoth() {
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, MANIFEST)) {
            index.commit();
        }
        IndexManifest other =
                IndexManifest.of(EmbedderSpec.parse("ollama:qwen3-embedding:0.6b-q8_0"), 1024, "recursive:400/50");

        assertThatThrownBy(() -> LuceneVectorIndex.open(dir, other))
                .isInstanceOf(IndexMismatchException.class)
                .hasMessageContaining(EMBEDDER.spec().toString())
                .hasMessageContaining("ollama:qwen3-embedding:0.6b-q8_0")
                .hasMessageContaining("--index");
    }

    @Test
    void aVectorOfTheWrongDimensionIsRejectedAndNothingIsWritten() {
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, MANIFEST)) {
            List<ChunkRecord> wrong = List.of(new ChunkRecord(0, "text", new float[] {1f, 0f}));

            assertThatThrownBy(() -> index.replaceDocument(doc("/x.md", "X"), wrong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2-d")
                    .hasMessageContaining("64-d");
            index.commit();
            assertThat(index.stats()).isEqualTo(new IndexStats(0, 0));
            assertThat(index.chunkCount("/a.md")).isZero();
        }
    }

    @Test
    void readOnlyOpenOfAMissingIndexSaysHowToBuildOne() {
        Path missing = dir.resolve("none");

        assertThatThrownBy(() -> LuceneVectorIndex.openReadOnly(missing))
                .isInstanceOf(IndexNotFoundException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("rag ingest");
    }

    @Test
    void chunksOfADocumentComeBackWithTheirVectorsInOrder() {
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, MANIFEST)) {
            // given two documents, one replaced after a commit so the old version is deleted
            index.replaceDocument(doc("/a.md", "A"), chunks("first old", "second old"));
            index.commit();
            index.replaceDocument(doc("/b.md", "B"), chunks("bravo"));
            index.replaceDocument(doc("/a.md", "A"), chunks("first new", "second new", "third new"));
            index.commit();

            // when the chunks of /a.md are read back
            List<ChunkRecord> read = index.chunkRecords("/a.md");

            // then only the live version comes back, with the vectors that were written
            assertThat(read).isEqualTo(chunks("first new", "second new", "third new"));
            assertThat(index.chunkRecords("/missing.md")).isEmpty();
        }
    }

    @Test
    void manifestIsReadableWithoutOpeningTheIndex() {
        assertThat(LuceneVectorIndex.readManifest(dir)).isNull();
        try (LuceneVectorIndex ignored = LuceneVectorIndex.open(dir, MANIFEST)) {
            assertThat(LuceneVectorIndex.readManifest(dir)).isEqualTo(MANIFEST);
        }
    }

    private static List<SearchHit> search(LuceneVectorIndex index, SearchMode mode, String query, int k) {
        return index.search(mode, query, EMBEDDER.embedQuery(query), k);
    }

    private static SourceDocument doc(String id, String title) {
        return new SourceDocument(id, title, "text/markdown", "hash-" + id, 10, 1000);
    }

    private static List<ChunkRecord> chunks(String... texts) {
        List<ChunkRecord> out = new ArrayList<>();
        for (String t : texts) {
            out.add(new ChunkRecord(out.size(), t, EMBEDDER.vector(t)));
        }
        return out;
    }
}
