package dev.localrag.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.testing.HashingEmbedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TextAnalysisTest {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(32);

    @TempDir
    Path dir;

    @Test
    void autoAnalysisStemsEnglishAndBigramsChineseInOneText() {
        assertThat(tokens(TextAnalysis.AUTO, "Running the servers 运行服务器"))
                .containsExactly("run", "server", "运行", "行服", "服务", "务器");
        assertThat(tokens(TextAnalysis.CJK, "运行服务器")).containsExactly("运行", "行服", "服务", "务器");
        assertThat(tokens(TextAnalysis.ENGLISH, "Running servers")).containsExactly("run", "server");
    }

    @ParameterizedTest
    @EnumSource(
            value = TextAnalysis.class,
            names = {"AUTO", "CJK"})
    void aChineseQueryMatchesChineseTextByBigramsNotSingleCharacters(TextAnalysis analysis) {
        // given two Chinese chunks that share the characters 上 and 海 but only one has the word 上海
        try (LuceneVectorIndex index = open(analysis)) {
            index.replaceDocument(doc("/shanghai.md"), chunks("上海的天气很好"));
            index.replaceDocument(doc("/sea.md"), chunks("海上有很多船"));
            index.commit();

            // when searching BM25 for 上海 (Shanghai)
            List<SearchHit> hits = index.search(SearchMode.KEYWORD, "上海", null, 5);

            // then only the chunk with the word matches: single characters would match both
            assertThat(hits).extracting(SearchHit::documentId).containsExactly("/shanghai.md");
        }
    }

    @Test
    void anEnglishQueryMatchesOtherFormsOfItsWords() {
        try (LuceneVectorIndex index = open(TextAnalysis.AUTO)) {
            index.replaceDocument(doc("/gpu.md"), chunks("Ollama is running models on GPUs"));
            index.replaceDocument(doc("/other.md"), chunks("A text about bananas"));
            index.commit();

            assertThat(index.search(SearchMode.KEYWORD, "run model gpu", null, 5))
                    .extracting(SearchHit::documentId)
                    .containsExactly("/gpu.md");
        }
    }

    @Test
    void theAnalysisIsRecordedAndAnIndexOpensOnlyWithItsOwn() {
        IndexManifest cjk = IndexManifest.of(EMBEDDER.spec(), 32, "test").withTextAnalysis(TextAnalysis.CJK);
        try (LuceneVectorIndex ignored = LuceneVectorIndex.open(dir, cjk)) {
            assertThat(LuceneVectorIndex.readManifest(dir).textAnalysis()).isEqualTo(TextAnalysis.CJK);
        }
        assertThatThrownBy(() -> LuceneVectorIndex.open(dir, cjk.withTextAnalysis(TextAnalysis.ENGLISH)))
                .isInstanceOf(IndexMismatchException.class)
                .hasMessageContaining("cjk")
                .hasMessageContaining("english")
                .hasMessageContaining("delete " + dir);
        assertThatThrownBy(() -> TextAnalysis.parse("klingon"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("english, cjk, auto");
    }

    private LuceneVectorIndex open(TextAnalysis analysis) {
        return LuceneVectorIndex.open(
                dir.resolve(analysis.id()),
                IndexManifest.of(EMBEDDER.spec(), 32, "test").withTextAnalysis(analysis));
    }

    private static List<String> tokens(TextAnalysis analysis, String text) {
        List<String> out = new ArrayList<>();
        try (Analyzer analyzer = analysis.newAnalyzer();
                TokenStream ts = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static SourceDocument doc(String id) {
        return new SourceDocument(id, "", "text/plain", "h", 1, 1);
    }

    private static List<ChunkRecord> chunks(String... texts) {
        List<ChunkRecord> out = new ArrayList<>();
        for (String t : texts) {
            out.add(new ChunkRecord(out.size(), t, EMBEDDER.vector(t)));
        }
        return out;
    }
}
