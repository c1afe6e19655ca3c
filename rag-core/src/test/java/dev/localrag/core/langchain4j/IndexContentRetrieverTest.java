package dev.localrag.core.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.UnsupportedFilterException;
import dev.localrag.core.testing.HashingEmbedder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexContentRetrieverTest {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(64);

    @TempDir
    Path dir;

    private LuceneVectorIndex index;

    @BeforeEach
    void given() {
        // an index with an ingested markdown file, an ingested PDF, and a segment added through the store
        index = LuceneVectorIndex.open(dir, IndexManifest.of(EMBEDDER.spec(), 64, "test"));
        add("/docs/port.md", "Ports", "text/markdown", "Ollama listens on port 11434 by default.");
        add("/docs/port.pdf", "Ports (PDF)", "application/pdf", "The default port of Ollama is 11434.");
        index.commit();
        new IndexEmbeddingStore(index)
                .add(
                        Embedding.from(EMBEDDER.vector("port forwarding for ollama")),
                        TextSegment.from("port forwarding for ollama", Metadata.from("source", "wiki")));
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void retrievesHybridContentWithScoresIdsAndDocumentMetadata() {
        IndexContentRetriever retriever = IndexContentRetriever.builder()
                .index(index)
                .embedder(EMBEDDER)
                .maxResults(3)
                .build();

        List<Content> contents = retriever.retrieve(Query.from("which port does ollama listen on"));

        assertThat(contents).hasSize(3);
        Content first = contents.getFirst();
        assertThat(first.textSegment().text()).isEqualTo("Ollama listens on port 11434 by default.");
        assertThat(first.textSegment().metadata().getString("path")).isEqualTo("/docs/port.md");
        assertThat(first.textSegment().metadata().getString("title")).isEqualTo("Ports");
        assertThat(first.textSegment().metadata().getString("mime_type")).isEqualTo("text/markdown");
        assertThat(first.metadata()).containsEntry(ContentMetadata.EMBEDDING_ID, "/docs/port.md#0");
        assertThat((Double) first.metadata().get(ContentMetadata.SCORE)).isPositive();
        assertThat(contents)
                .extracting(c -> c.textSegment().metadata().getString("source"))
                .contains("wiki");
    }

    @Test
    void filtersFromTheBuilderOrPerQueryApplyInsideTheSearch() {
        IndexContentRetriever pdfOnly = IndexContentRetriever.builder()
                .index(index)
                .embedder(EMBEDDER)
                .mode(SearchMode.VECTOR)
                .filter(metadataKey("mime_type").isEqualTo("application/pdf"))
                .build();
        assertThat(pdfOnly.retrieve(Query.from("ollama port")))
                .extracting(c -> c.textSegment().metadata().getString("path"))
                .containsExactly("/docs/port.pdf");

        IndexContentRetriever wikiOnly = IndexContentRetriever.builder()
                .index(index)
                .embedder(EMBEDDER)
                .dynamicFilter(q -> metadataKey("source").isEqualTo("wiki"))
                .build();
        assertThat(wikiOnly.retrieve(Query.from("ollama port")))
                .extracting(c -> c.textSegment().text())
                .containsExactly("port forwarding for ollama");

        IndexContentRetriever broken = IndexContentRetriever.builder()
                .index(index)
                .embedder(EMBEDDER)
                .filter(object -> true)
                .build();
        assertThatThrownBy(() -> broken.retrieve(Query.from("ollama"))).isInstanceOf(UnsupportedFilterException.class);
    }

    @Test
    void theStoreFindsIngestedChunksAndRejectsAnotherEmbedderOrBadSettings() {
        IndexEmbeddingStore store = new IndexEmbeddingStore(index);
        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                        .queryEmbedding(Embedding.from(EMBEDDER.vector("default port of ollama")))
                        .maxResults(5)
                        .filter(metadataKey("path").isEqualTo("/docs/port.pdf"))
                        .build())
                .matches();
        assertThat(matches).singleElement().satisfies(m -> {
            assertThat(m.embeddingId()).isEqualTo("/docs/port.pdf#0");
            assertThat(m.embedded().metadata().getString("title")).isEqualTo("Ports (PDF)");
        });

        HashingEmbedder other = new HashingEmbedder(EmbedderSpec.parse("ollama:other"), 64);
        assertThatThrownBy(() -> IndexContentRetriever.builder()
                        .index(index)
                        .embedder(other)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ollama:other");
        assertThatThrownBy(() -> IndexContentRetriever.builder()
                        .index(index)
                        .embedder(EMBEDDER)
                        .maxResults(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be > 0");
        assertThatThrownBy(() -> store.add(Embedding.from(new float[3])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 dimensions");
    }

    private void add(String path, String title, String mime, String text) {
        index.replaceDocument(
                new SourceDocument(path, title, mime, "h", text.length(), 1).withMetadata(Map.of()),
                List.of(new ChunkRecord(0, text, EMBEDDER.vector(text))));
    }
}
