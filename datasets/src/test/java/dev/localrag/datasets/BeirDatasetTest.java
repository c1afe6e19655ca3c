package dev.localrag.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirDatasetTest {

    @TempDir
    Path tmp;

    @Test
    void loadsCorpusJudgedQueriesAndAnswersAndSkipsEmptyQueries() {
        // given a BEIR folder where q3 has empty text
        Path dir = TinyBeir.write(tmp.resolve("tiny"));

        // when
        BeirDataset data = BeirDataset.load(dir);

        // then
        assertThat(data.name()).isEqualTo("tiny");
        assertThat(data.corpus()).extracting(CorpusDocument::id).containsExactly("port", "gpu", "models");
        assertThat(data.corpus().get(0).titleAndText()).startsWith("Ollama FAQ Ollama listens");
        assertThat(data.queries()).extracting(JudgedQuery::id).containsExactly("q1", "q2", "q4");
        assertThat(data.skippedEmpty()).isEqualTo(1);
        assertThat(data.queries().get(2).relevance()).containsEntry("models", 2);
        assertThat(data.queries().get(0).answers()).containsExactly("11434", "port 11434");
        assertThat(data.hasAnswers()).isTrue();
        assertThat(data.corpusSha256()).hasSize(64);
        assertThat(data.limitQueries(2).queries()).hasSize(2);
    }

    @Test
    void aQueryJudgedButMissingFromQueriesJsonlCountsAsEmpty() {
        Path dir = TinyBeir.write(
                tmp.resolve("d"),
                TinyBeir.CORPUS,
                TinyBeir.QUERIES,
                "query-id\tcorpus-id\tscore\nq9\tport\t1\nq1\tport\t1\n",
                null);

        BeirDataset data = BeirDataset.load(dir);

        assertThat(data.queries()).extracting(JudgedQuery::id).containsExactly("q1");
        assertThat(data.skippedEmpty()).isEqualTo(1);
        assertThat(data.hasAnswers()).isFalse();
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        Path dir = TinyBeir.write(tmp.resolve("d"));
        Files.delete(dir.resolve("qrels/test.tsv"));

        assertThatThrownBy(() -> BeirDataset.load(dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("has no qrels/test.tsv")
                .hasMessageContaining("BEIR");
    }

    @Test
    void aMissingFolderIsNamed() {
        assertThatThrownBy(() -> BeirDataset.load(tmp.resolve("nope")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aBrokenLineIsNamedWithFileAndLineNumber() {
        Path dir = TinyBeir.write(
                tmp.resolve("d"),
                TinyBeir.CORPUS + "{\"title\": \"no id\", \"text\": \"x\"}\n",
                TinyBeir.QUERIES,
                TinyBeir.QRELS,
                null);

        assertThatThrownBy(() -> BeirDataset.load(dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("corpus.jsonl line 4")
                .hasMessageContaining("\"_id\"");
    }

    @Test
    void invalidJsonAndBadQrelsAreReported() {
        Path broken = TinyBeir.write(tmp.resolve("a"), TinyBeir.CORPUS, "{not json\n", TinyBeir.QRELS, null);
        assertThatThrownBy(() -> BeirDataset.load(broken))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("queries.jsonl line 1: not valid JSON");

        Path badScore = TinyBeir.write(
                tmp.resolve("b"),
                TinyBeir.CORPUS,
                TinyBeir.QUERIES,
                "query-id\tcorpus-id\tscore\nq1\tport\thigh\n",
                null);
        assertThatThrownBy(() -> BeirDataset.load(badScore))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("test.tsv line 2: score \"high\" is not an integer");
    }

    @Test
    void duplicateDocumentIdsAreRejected() {
        Path dir = TinyBeir.write(
                tmp.resolve("d"),
                TinyBeir.CORPUS + "{\"_id\": \"gpu\", \"text\": \"again\"}\n",
                TinyBeir.QUERIES,
                TinyBeir.QRELS,
                null);

        assertThatThrownBy(() -> BeirDataset.load(dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("_id \"gpu\" appears twice");
    }

    @Test
    void aCorpusSubsetHasItsOwnIdentity() {
        BeirDataset data = BeirDataset.load(TinyBeir.write(tmp.resolve("d")));

        BeirDataset subset = data.filterCorpus(d -> !d.id().equals("gpu"));

        assertThat(subset.corpus()).hasSize(2);
        assertThat(subset.corpusSha256()).isNotEqualTo(data.corpusSha256());
    }
}
