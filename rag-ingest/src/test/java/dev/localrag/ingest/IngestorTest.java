package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.chunk.RecursiveChunker;
import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexStats;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.testing.HashingEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestorTest {

    @TempDir
    Path tmp;

    private Path docs;
    private HashingEmbedder embedder;
    private LuceneVectorIndex index;
    private Ingestor ingestor;

    @BeforeEach
    void setUp() throws IOException {
        docs = Files.createDirectories(tmp.resolve("docs"));
        embedder = new HashingEmbedder(64);
        RecursiveChunker chunker = new RecursiveChunker(new ChunkingSettings(64, 8));
        index = LuceneVectorIndex.open(tmp.resolve("index"), IndexManifest.of(embedder.spec(), 64, chunker.describe()));
        ingestor = new Ingestor(index, embedder, chunker, new TikaDocumentParser());
    }

    @AfterEach
    void tearDown() {
        index.close();
    }

    @Test
    void indexesTextMarkdownAndHtmlWithTitlesAndSkipsHiddenFiles() throws IOException {
        Files.writeString(docs.resolve("notes.txt"), "Plain notes about the llama shearing season.");
        Files.writeString(
                docs.resolve("guide.md"), "---\ntitle: Port Guide\n---\n\n## Port\n\nOllama listens on port 11434.");
        Files.writeString(
                docs.resolve("page.html"),
                "<html><head><title>GPU Page</title></head><body><p>CUDA GPUs are supported.</p></body></html>");
        Files.createDirectories(docs.resolve(".git"));
        Files.writeString(docs.resolve(".git/config"), "hidden folder content");
        Files.writeString(docs.resolve(".secret"), "hidden file content");

        IngestReport report = ingestor.ingest(List.of(docs), IngestListener.NONE);

        assertThat(report.filesSeen()).isEqualTo(3);
        assertThat(report.filesIndexed()).isEqualTo(3);
        assertThat(report.failures()).isEmpty();
        assertThat(index.stats().documents()).isEqualTo(3);
        assertThat(index.documents().values())
                .extracting(d -> d.title())
                .containsExactlyInAnyOrder("notes.txt", "Port Guide", "GPU Page");
        var hit = index.search(SearchMode.KEYWORD, "port 11434", null, 1).getFirst();
        assertThat(hit.documentId()).endsWith("guide.md");
        assertThat(hit.text()).doesNotContain("title: Port Guide").contains("Ollama listens on port 11434.");
    }

    @Test
    void longDocumentsAreFullyIndexedWithoutTruncation() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append("Line ").append(i).append(" of a long file with some words.\n\n");
        }
        text.append("The very last sentence mentions zanzibar.");
        Files.writeString(docs.resolve("long.txt"), text); // > 100k characters

        ingestor.ingest(List.of(docs), IngestListener.NONE);

        assertThat(text.length()).isGreaterThan(100_000);
        assertThat(index.search(SearchMode.KEYWORD, "zanzibar", null, 1))
                .singleElement()
                .satisfies(h -> assertThat(h.text()).contains("zanzibar"));
    }

    @Test
    void rerunEmbedsOnlyChangedFiles() throws IOException {
        Files.writeString(docs.resolve("a.txt"), "alpha content");
        Files.writeString(docs.resolve("b.txt"), "beta content");
        ingestor.ingest(List.of(docs), IngestListener.NONE);
        int embeddedFirst = embedder.documentsEmbedded();

        // when one file changes and the folder is ingested again
        Files.writeString(docs.resolve("b.txt"), "beta content, revised");
        IngestReport second = ingestor.ingest(List.of(docs), IngestListener.NONE);

        // then only that file is re-embedded and replaced
        assertThat(second.filesUnchanged()).isEqualTo(1);
        assertThat(second.filesIndexed()).isEqualTo(1);
        assertThat(embedder.documentsEmbedded() - embeddedFirst).isEqualTo(1);
        assertThat(index.stats()).isEqualTo(new IndexStats(2, 2));
        assertThat(index.search(SearchMode.KEYWORD, "revised", null, 5)).hasSize(1);
    }

    @Test
    void aBrokenFileIsReportedAndTheOthersAreStillIndexed() throws IOException {
        Files.writeString(docs.resolve("good.txt"), "good content");
        Files.write(docs.resolve("broken.pdf"), "%PDF-1.7\n garbage that is not a pdf".getBytes());
        Files.writeString(docs.resolve("empty.txt"), "");

        IngestReport report = ingestor.ingest(List.of(docs), IngestListener.NONE);

        assertThat(report.filesIndexed()).isEqualTo(1);
        assertThat(report.failures())
                .extracting(f -> f.file().getFileName().toString())
                .containsExactlyInAnyOrder("broken.pdf", "empty.txt");
        assertThat(report.failures()).allSatisfy(f -> assertThat(f.reason()).isNotBlank());
        assertThat(index.stats().documents()).isEqualTo(1);
    }

    @Test
    void aMissingPathIsAnErrorBeforeAnythingIsWritten() throws IOException {
        Files.writeString(docs.resolve("a.txt"), "alpha");
        Path missing = tmp.resolve("nope");

        assertThatThrownBy(() -> ingestor.ingest(List.of(docs, missing), IngestListener.NONE))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(missing.toString());
        assertThat(index.stats().documents()).isZero();
    }
}
