package dev.localrag.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the shipped SciFact copy, the English analyzer and the metric code against published
 * figures: a plain Lucene index set up the way Anserini's BEIR regressions are (BM25 k1 = 0.9, b =
 * 0.4) must reproduce their nDCG@10 -- 0.679 for "flat" (title and text in one field) and 0.665
 * for "multifield" (title and text as two equal fields).
 */
class Bm25CalibrationIT {

    static BeirDataset scifact;
    static IndexSearcher searcher;
    static final Analyzer ANALYZER = new EnglishAnalyzer();

    @BeforeAll
    static void index() throws IOException {
        scifact = BeirDataset.load(Path.of("scifact").toAbsolutePath());
        BM25Similarity anserini = new BM25Similarity(0.9f, 0.4f);
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(ANALYZER).setSimilarity(anserini))) {
            for (CorpusDocument c : scifact.corpus()) {
                Document doc = new Document();
                doc.add(new StringField("id", c.id(), Field.Store.YES));
                doc.add(new TextField("title", c.title(), Field.Store.NO));
                doc.add(new TextField("text", c.text(), Field.Store.NO));
                doc.add(new TextField("flat", c.titleAndText(), Field.Store.NO));
                w.addDocument(doc);
            }
        }
        searcher = new IndexSearcher(DirectoryReader.open(dir));
        searcher.setSimilarity(anserini);
    }

    @Test
    void flatBm25ReproducesAnserini() throws IOException {
        double ndcg = meanNdcg10(text -> new QueryBuilder(ANALYZER).createBooleanQuery("flat", text));

        assertThat(ndcg).isBetween(0.665, 0.679).isCloseTo(0.679, within(0.002));
    }

    @Test
    void multifieldBm25ReproducesAnserini() throws IOException {
        QueryBuilder qb = new QueryBuilder(ANALYZER);
        double ndcg = meanNdcg10(text -> new BooleanQuery.Builder()
                .add(qb.createBooleanQuery("title", text), BooleanClause.Occur.SHOULD)
                .add(qb.createBooleanQuery("text", text), BooleanClause.Occur.SHOULD)
                .build());

        assertThat(ndcg).isCloseTo(0.665, within(0.002));
    }

    private static double meanNdcg10(java.util.function.Function<String, Query> query) throws IOException {
        double sum = 0;
        for (JudgedQuery q : scifact.queries()) {
            List<String> ids = new ArrayList<>();
            for (ScoreDoc sd : searcher.search(query.apply(q.text()), 10).scoreDocs) {
                ids.add(searcher.storedFields().document(sd.doc).get("id"));
            }
            sum += Metrics.ndcg(ids, q.relevance(), 10);
        }
        return sum / scifact.queries().size();
    }
}
