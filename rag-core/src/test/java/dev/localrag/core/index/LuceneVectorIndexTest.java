package dev.localrag.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.testing.HashingEmbedder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
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
    void readOnlyOpenOfAMissingIndexSaysHowToBuildOne() {
        Path missing = dir.resolve("none");

        assertThatThrownBy(() -> LuceneVectorIndex.openReadOnly(missing))
                .isInstanceOf(IndexNotFoundException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("rag ingest");
    }

    @Test
    void manifestIsReadableWithoutOpeningTheIndex() {
        assertThat(LuceneVectorIndex.readManifest(dir)).isNull();
        try (LuceneVectorIndex ignored = LuceneVectorIndex.open(dir, MANIFEST)) {
            assertThat(LuceneVectorIndex.readManifest(dir)).isEqualTo(MANIFEST);
        }
    }

    @Test
    void anIndexOfAnOlderFormatVersionIsAClearErrorSayingHowToRebuild() throws Exception {
        // given an index whose commit says format 1 (as LocalRAG 0.1 wrote)
        try (LuceneVectorIndex ignored = LuceneVectorIndex.open(dir, MANIFEST)) {
            // created
        }
        rewriteManifest(IndexManifest.KEY_FORMAT, "1");

        assertThatThrownBy(() -> LuceneVectorIndex.open(dir, MANIFEST))
                .isInstanceOf(IndexMismatchException.class)
                .hasMessageContaining("format version 1")
                .hasMessageContaining("delete " + dir);
        assertThatThrownBy(() -> LuceneVectorIndex.openReadOnly(dir)).isInstanceOf(IndexMismatchException.class);
    }

    @Test
    void aDamagedManifestIsAClearErrorSayingHowToRebuild() throws Exception {
        try (LuceneVectorIndex ignored = LuceneVectorIndex.open(dir, MANIFEST)) {
            // created
        }

        rewriteManifest(IndexManifest.KEY_VECTOR_FORMAT, "hnsw-int2");
        assertThatThrownBy(() -> LuceneVectorIndex.readManifest(dir))
                .hasMessageContaining("damaged")
                .hasMessageContaining("int2")
                .hasMessageContaining("delete " + dir);
        assertThat(EmbedderSpec.parse(MANIFEST.embedder().toString())).isEqualTo(MANIFEST.embedder());
    }

    /** Commits the index again with one manifest entry changed, as another version or a damaged file would. */
    private void rewriteManifest(String key, String value) throws IOException {
        try (var directory = FSDirectory.open(dir);
                var writer = new IndexWriter(directory, new IndexWriterConfig())) {
            Map<String, String> data = new HashMap<>(MANIFEST.toUserData());
            data.put(key, value);
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
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
