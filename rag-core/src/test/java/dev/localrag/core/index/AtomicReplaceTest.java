package dev.localrag.core.index;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.testing.HashingEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicReplaceTest {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(32);
    private static final IndexManifest MANIFEST = IndexManifest.of(EMBEDDER.spec(), 32, "test");

    @TempDir
    Path dir;

    @Test
    void aSearcherNeverSeesAPartialOrMixedDocumentWhileItIsReplaced() throws Exception {
        // given a document whose generation g has (g % 7) + 1 chunks, all tagged with g
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, MANIFEST)) {
            index.replaceDocument(generation(0), chunks(0));
            index.replaceDocument(new SourceDocument("/other.md", "", "", "", 1, 1), chunks(99));
            index.commit();
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger searches = new AtomicInteger();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

            // when a thread searches in every mode while the document is replaced 120 times (made visible by NRT
            // refreshes and commits)
            List<Thread> searchers = new ArrayList<>();
            for (int t = 0; t < 1; t++) {
                Thread thread = new Thread(() -> {
                    SearchMode[] modes = SearchMode.values();
                    while (!done.get()) {
                        SearchMode mode = modes[searches.getAndIncrement() % modes.length];
                        List<SearchHit> hits = index.search(SearchRequest.builder()
                                .mode(mode)
                                .text("chunk generation")
                                .vector(EMBEDDER.embedQuery("chunk generation"))
                                .k(20)
                                .filter(metadataKey("path").isEqualTo("/a.md"))
                                .build());
                        List<Object> generations = hits.stream()
                                .map(h -> h.metadata().get("gen"))
                                .distinct()
                                .toList();
                        if (generations.size() != 1) {
                            problems.add(mode + ": generations " + generations);
                        } else if (hits.size() != ((Integer) generations.getFirst() % 7) + 1) {
                            problems.add(mode + ": " + hits.size() + " chunks of generation " + generations);
                        }
                    }
                });
                thread.start();
                searchers.add(thread);
            }
            for (int g = 1; g <= 120; g++) {
                index.replaceDocument(generation(g), chunks(g));
                if (g % 20 == 0) {
                    index.commit();
                } else {
                    index.refresh();
                }
            }
            done.set(true);
            for (Thread thread : searchers) {
                thread.join();
            }

            // then every search saw exactly one whole generation
            assertThat(problems).isEmpty();
            assertThat(searches.get()).isGreaterThan(50);
            assertThat(index.stats()).isEqualTo(new IndexStats(2, (120 % 7) + 1 + (99 % 7) + 1));
        }
    }

    @Test
    void anIndexOfAnOlderFormatVersionIsAClearErrorSayingHowToRebuild() throws Exception {
        // given an index whose commit says format 1 (as LocalRAG 0.1 wrote)
        try (LuceneVectorIndex ignored = LuceneVectorIndex.open(dir, MANIFEST)) {
            // created
        }
        try (var directory = FSDirectory.open(dir);
                var writer = new IndexWriter(directory, new IndexWriterConfig())) {
            Map<String, String> data = new java.util.HashMap<>(MANIFEST.toUserData());
            data.put(IndexManifest.KEY_FORMAT, "1");
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        }

        assertThatThrownBy(() -> LuceneVectorIndex.open(dir, MANIFEST))
                .isInstanceOf(IndexMismatchException.class)
                .hasMessageContaining("format version 1")
                .hasMessageContaining("delete " + dir);
        assertThatThrownBy(() -> LuceneVectorIndex.openReadOnly(dir)).isInstanceOf(IndexMismatchException.class);
    }

    @Test
    void aDamagedManifestAndAWrongDimensionAreClearErrors() throws Exception {
        try (LuceneVectorIndex ignored = LuceneVectorIndex.open(dir, MANIFEST)) {
            // created
        }
        IndexManifest otherDimension = IndexManifest.of(EMBEDDER.spec(), 48, "test");
        assertThatThrownBy(() -> LuceneVectorIndex.open(dir, otherDimension))
                .isInstanceOf(IndexMismatchException.class)
                .hasMessageContaining("32-d")
                .hasMessageContaining("48-d");

        try (var directory = FSDirectory.open(dir);
                var writer = new IndexWriter(directory, new IndexWriterConfig())) {
            Map<String, String> data = new java.util.HashMap<>(MANIFEST.toUserData());
            data.put(IndexManifest.KEY_VECTOR_FORMAT, "hnsw-int2");
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        }
        assertThatThrownBy(() -> LuceneVectorIndex.readManifest(dir))
                .hasMessageContaining("damaged")
                .hasMessageContaining("int2")
                .hasMessageContaining("delete " + dir);
        assertThat(EmbedderSpec.parse(MANIFEST.embedder().toString())).isEqualTo(MANIFEST.embedder());
    }

    private static SourceDocument generation(int g) {
        return new SourceDocument("/a.md", "A", "text/plain", "h" + g, 1, 1).withMetadata(Map.of("gen", g));
    }

    private static List<ChunkRecord> chunks(int g) {
        List<ChunkRecord> out = new ArrayList<>();
        for (int i = 0; i <= g % 7; i++) {
            String text = "chunk " + i + " generation " + g;
            out.add(new ChunkRecord(i, text, EMBEDDER.vector(text)));
        }
        return out;
    }
}
