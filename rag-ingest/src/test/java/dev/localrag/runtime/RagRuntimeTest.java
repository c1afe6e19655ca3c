package dev.localrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.chunk.StructuredChunker;
import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.IndexSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexMismatchException;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.TextAnalysis;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.testing.OllamaTestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition root: the one place that decides an index's manifest for every writer, against the Ollama test server. */
class RagRuntimeTest {

    private static final String MODEL = "qwen3-embedding:0.6b-q8_0";

    @TempDir
    Path home;

    @Test
    void aNewIndexGetsTheAskedSettingsAndKeepsThemWhenReopenedWithoutAsking() throws Exception {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(MODEL).dimension(16).build()) {
            // given settings asking for int8 vectors with m=24 and CJK analysis
            RagConfig asking = config(ollama)
                    .withIndexSettings(IndexSettings.DEFAULT
                            .withTextAnalysis(TextAnalysis.CJK)
                            .overriddenBy(new IndexSettings(VectorFormat.Encoding.INT8, 24, null, null, null)));

            // when a new index is opened for writing, with a document
            try (RagRuntime opened = RagRuntime.builder(asking).build()) {
                float[] v = opened.embedder().embedDocuments(List.of("上海的天气很好")).get(0);
                opened.index()
                        .replaceDocument(
                                new SourceDocument("/sh.md", "", "text/plain", "h", 1, 1),
                                List.of(new ChunkRecord(0, "上海的天气很好", v)));
                opened.index().commit();
            }

            // then its manifest records them, with the embedder's dimension
            IndexManifest created = LuceneVectorIndex.readManifest(asking.indexDir());
            assertThat(created.vectorFormat()).isEqualTo(VectorFormat.parse("int8 m=24"));
            assertThat(created.textAnalysis()).isEqualTo(TextAnalysis.CJK);
            assertThat(created.dimension()).isEqualTo(16);

            // and reopened without asking, lazily, the index keeps them and the model is never asked
            int requests = ollama.requests().size();
            RagConfig plain = config(ollama);
            try (RagRuntime reopened = RagRuntime.builder(plain).build()) {
                assertThat(reopened.index().manifest().vectorFormat()).isEqualTo(created.vectorFormat());
                assertThat(reopened.index().manifest().textAnalysis()).isEqualTo(TextAnalysis.CJK);
                assertThat(reopened.index().search(SearchMode.KEYWORD, "上海", null, 3))
                        .hasSize(1);
            }
            assertThat(ollama.requests()).hasSize(requests);
        }
    }

    @Test
    void askingAnExistingIndexForOtherSettingsFailsBeforeLoadingOrChangingAnything() throws Exception {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(MODEL).dimension(16).build()) {
            // given an index built with the defaults
            RagConfig plain = config(ollama);
            try (RagRuntime ignored = RagRuntime.builder(plain).build()) {
                // created
            }
            IndexManifest before = LuceneVectorIndex.readManifest(plain.indexDir());
            int requests = ollama.requests().size();

            // when it is asked for bbq vectors
            RagConfig bbq = plain.withIndexSettings(IndexSettings.DEFAULT.withVectorFormat(VectorFormat.parse("bbq")));

            // then the open fails naming the index and both formats, without asking the model
            assertThatThrownBy(() -> RagRuntime.builder(bbq).build())
                    .isInstanceOf(IndexMismatchException.class)
                    .hasMessageContaining("Index " + plain.indexDir())
                    .hasMessageContaining("vector format bbq (the index has float32)")
                    .hasMessageContaining("delete " + plain.indexDir());
            assertThat(ollama.requests()).hasSize(requests);
            assertThat(LuceneVectorIndex.readManifest(plain.indexDir())).isEqualTo(before);
        }
    }

    @Test
    void theDefaultsBuildANewIndexAsBefore() throws Exception {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(MODEL).dimension(16).build()) {
            RagConfig plain = config(ollama);

            try (RagRuntime opened = RagRuntime.builder(plain).build()) {
                assertThat(opened.index().manifest())
                        .isEqualTo(IndexManifest.of(
                                plain.embedderSpec()
                                        .map(dev.localrag.core.embed.EmbedderSpec::parse)
                                        .orElseThrow(),
                                16,
                                new StructuredChunker(plain.chunking()).describe()));
            }
        }
    }

    @Test
    void withASharedClientTheEmbedderQueuesOnThatClientsLimiterAndLeavesItOpen() throws Exception {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(MODEL).dimension(16).build()) {
            RagConfig plain = config(ollama);
            RagConfig one =
                    plain.withOllama(plain.ollama().toBuilder().maxInFlight(1).build());
            try (dev.localrag.core.ollama.OllamaClient client =
                    new dev.localrag.core.ollama.OllamaClient(one.ollama())) {
                try (RagRuntime opened =
                        RagRuntime.builder(one).ollamaClient(client).build()) {
                    // given the client's only slot is taken (as by an answer being generated)
                    int embedsBefore = ollama.requests("/api/embed").size();
                    java.util.concurrent.CompletableFuture<List<float[]>> embedding;
                    try (var busy = client.limiter().acquire(dev.localrag.core.ollama.Priority.INTERACTIVE)) {
                        // when the index's embedder is asked to embed documents
                        embedding = java.util.concurrent.CompletableFuture.supplyAsync(
                                () -> opened.embedder().embedDocuments(List.of("bulk text")));
                        // then it waits for that slot instead of sending on a client of its own
                        Thread.sleep(300);
                        assertThat(embedding).isNotDone();
                        assertThat(ollama.requests("/api/embed")).hasSize(embedsBefore);
                    }
                    // and it goes through once the slot is free
                    assertThat(embedding.get(10, java.util.concurrent.TimeUnit.SECONDS))
                            .hasSize(1);
                }
                // and closing the index leaves the shared client usable
                assertThat(client.version()).isNotBlank();
            }
        }
    }

    @Test
    void askingAnExistingIndexForOtherChunkingFailsNamingBothAndHowToRebuild() throws Exception {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(MODEL).dimension(16).build()) {
            // given an index built with the default chunking
            RagConfig plain = config(ollama);
            try (RagRuntime ignored = RagRuntime.builder(plain).build()) {
                // created
            }
            IndexManifest before = LuceneVectorIndex.readManifest(plain.indexDir());

            // when it is opened for writing with other chunk sizes
            RagConfig smaller = plain.withChunking(new dev.localrag.core.config.ChunkingSettings(200, 20));

            // then the open fails before anything changes, so one index never holds two kinds of chunk
            assertThatThrownBy(() -> RagRuntime.builder(smaller).build())
                    .isInstanceOf(IndexMismatchException.class)
                    .hasMessageContaining("chunking structured:400/50")
                    .hasMessageContaining("structured:200/20 was asked for")
                    .hasMessageContaining("delete " + plain.indexDir());
            assertThat(LuceneVectorIndex.readManifest(plain.indexDir())).isEqualTo(before);
            // and reading it with other chunk sizes is fine: searching makes no chunks
            try (RagRuntime reader = RagRuntime.builder(smaller).readOnly().build()) {
                assertThat(reader.index().manifest()).isEqualTo(before);
                assertThatThrownBy(() -> reader.ingest(
                                List.of(home),
                                dev.localrag.ingest.IngestOptions.DEFAULT,
                                dev.localrag.ingest.IngestListener.NONE))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("read-only");
            }
        }
    }

    @Test
    void aReadOnlyRuntimeOfAMissingIndexSaysWhereItLooked() throws Exception {
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(MODEL).dimension(16).build()) {
            RagConfig config = config(ollama);

            assertThatThrownBy(() -> RagRuntime.builder(config).readOnly().build())
                    .isInstanceOf(dev.localrag.core.index.IndexNotFoundException.class)
                    .hasMessageContaining(config.indexDir().toString());
            assertThat(config.indexDir()).doesNotExist();
        }
    }

    private RagConfig config(OllamaTestServer ollama) {
        return new ConfigLoader(Map.of("OLLAMA_HOST", ollama.baseUrl().toString()), home)
                .load(null)
                .withIndexDir(home.resolve("index"))
                .withEmbedder("ollama:" + MODEL);
    }
}
