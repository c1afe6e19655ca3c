package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.config.IndexSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexMismatchException;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.TextAnalysis;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.testing.OllamaTestServer;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server opens its collections through the same index settings rule as rag ingest. */
class ServerIndexSettingsIT {

    @TempDir
    Path tmp;

    @Test
    void aNewCollectionGetsTheSettingsAndAnExistingOneRefusesOtherSettings() throws Exception {
        try (OllamaTestServer ollama =
                new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM)) {
            // given an index built with the defaults, and settings asking for int8 vectors and cjk
            RagConfig existing = TestCorpus.config(tmp.resolve("index-docs"), ollama.baseUrl());
            TestCorpus.ingest(existing, TestCorpus.writeDocs(tmp.resolve("docs")));
            IndexManifest before = LuceneVectorIndex.readManifest(existing.indexDir());
            IndexSettings int8Cjk = IndexSettings.DEFAULT
                    .withVectorFormat(VectorFormat.parse("int8"))
                    .withTextAnalysis(TextAnalysis.CJK);

            // when the server opens a missing collection with them, it is created with them
            RagConfig fresh = TestCorpus.config(tmp.resolve("index-new"), ollama.baseUrl())
                    .withIndexSettings(int8Cjk);
            try (LocalRagServer ignored = LocalRagServer.create(
                    ServerConfig.builder().port(0).collection("new", fresh).build(), n -> {})) {
                IndexManifest created = LuceneVectorIndex.readManifest(fresh.indexDir());
                assertThat(created.vectorFormat()).isEqualTo(VectorFormat.parse("int8"));
                assertThat(created.textAnalysis()).isEqualTo(TextAnalysis.CJK);
            }

            // and opening the existing one with them fails, naming it, and leaves it as it was
            RagConfig asking = existing.withIndexSettings(int8Cjk);
            assertThatThrownBy(() -> LocalRagServer.create(
                            ServerConfig.builder()
                                    .port(0)
                                    .collection("docs", asking)
                                    .build(),
                            n -> {}))
                    .isInstanceOf(IndexMismatchException.class)
                    .hasMessageContaining("Index " + existing.indexDir())
                    .hasMessageContaining("vector format int8 (the index has float32)")
                    .hasMessageContaining("text analysis cjk (the index has auto)");
            assertThat(LuceneVectorIndex.readManifest(existing.indexDir())).isEqualTo(before);
        }
    }
}
