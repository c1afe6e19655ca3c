package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexMismatchException;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.TextAnalysis;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.testing.OllamaTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LocalRag builder's vectorFormat / textAnalysis, with embeddings from the Ollama test server. */
class LocalRagIndexSettingsTest {

    private static final String EMBED = "qwen3-embedding:0.6b-q8_0";

    @TempDir
    Path tmp;

    @Test
    void builderSettingsBuildANewIndexAndAnExistingOneKeepsItsOwn() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("shanghai.md"), "# 上海\n\n上海的天气很好。");
        Path index = tmp.resolve("index");
        try (OllamaTestServer ollama =
                OllamaTestServer.builder().models(EMBED).dimension(32).build()) {
            // given a new index built with int4 vectors and CJK analysis
            try (LocalRag rag = builder(ollama, index)
                    .vectorFormat(VectorFormat.parse("int4"))
                    .textAnalysis(TextAnalysis.CJK)
                    .build()) {
                rag.ingest(docs);
            }
            IndexManifest manifest = LuceneVectorIndex.readManifest(index);
            assertThat(manifest.vectorFormat()).isEqualTo(VectorFormat.parse("int4"));
            assertThat(manifest.textAnalysis()).isEqualTo(TextAnalysis.CJK);

            // when it is opened again without settings, it keeps its own and answers searches
            try (LocalRag rag = builder(ollama, index).build()) {
                assertThat(rag.search("上海", 3))
                        .extracting(SearchHit::documentId)
                        .anySatisfy(id -> assertThat(id).endsWith("shanghai.md"));
            }
            assertThat(LuceneVectorIndex.readManifest(index)).isEqualTo(manifest);

            // and asking it for English analysis fails, naming both, and changes nothing
            assertThatThrownBy(() -> builder(ollama, index)
                            .textAnalysis(TextAnalysis.ENGLISH)
                            .build())
                    .isInstanceOf(IndexMismatchException.class)
                    .hasMessageContaining("text analysis english (the index has cjk)");
            assertThat(LuceneVectorIndex.readManifest(index)).isEqualTo(manifest);
        }
    }

    private static LocalRag.Builder builder(OllamaTestServer ollama, Path index) {
        return LocalRag.builder()
                .index(index)
                .embedder("ollama:" + EMBED)
                .ollamaHost(ollama.baseUrl().toString());
    }
}
