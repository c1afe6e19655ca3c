package dev.localrag.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.testing.HashingEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LongQueryTest {

    private static final HashingEmbedder EMBEDDER = new HashingEmbedder(64);

    @TempDir
    Path dir;

    private LuceneVectorIndex index;

    @BeforeEach
    void openIndex() {
        index = LuceneVectorIndex.open(dir, IndexManifest.of(EMBEDDER.spec(), 64, "test"));
    }

    @AfterEach
    void closeIndex() {
        index.close();
    }

    /** {@code n} distinct made-up words the English analyzer keeps apart: "zqa", "zqb", ... */
    private static List<String> words(int from, int n) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            StringBuilder w = new StringBuilder("zq");
            for (int v = i; ; v = v / 26 - 1) {
                w.append((char) ('a' + v % 26));
                if (v < 26) {
                    break;
                }
            }
            out.add(w.toString());
        }
        return out;
    }

    private void add(String id, String text) {
        index.replaceDocument(
                new SourceDocument(id, "", "text/plain", "hash", text.length(), 0),
                List.of(new ChunkRecord(0, text, EMBEDDER.vector(text))));
    }

    @Test
    void aFiveThousandWordQuestionSearchesInEveryModeAndKeepsItsRarestTerms() {
        // given two chunks sharing 2,000 filler words and one holding a rare pair of words
        String filler = String.join(" ", words(0, 2000));
        add("/a.txt", filler);
        add("/b.txt", filler + " more");
        add("/faq.mdx", "quokkas live on Rottnest Island");
        index.commit();
        // and a question of 5,000 distinct words (far beyond Lucene's 1,024 clauses), the rare pair last
        String question = String.join(" ", words(0, 4998)) + " quokkas Rottnest";

        for (SearchMode mode : SearchMode.values()) {
            // when searching with it
            List<SearchHit> hits = index.search(SearchRequest.builder()
                    .mode(mode)
                    .text(question)
                    .vector(EMBEDDER.vector(question))
                    .k(3)
                    .build());

            // then the search answers, and the keyword side kept the rare terms (df 1) over the filler (df 2)
            assertThat(hits).as(mode.toString()).isNotEmpty();
            if (mode != SearchMode.VECTOR) {
                assertThat(hits)
                        .extracting(SearchHit::documentId)
                        .as(mode.toString())
                        .contains("/faq.mdx");
            }
        }
    }

    @Test
    void aLongQueryBecomesItsDistinctTermsWithinTheClauseLimitAndRepeatsBecomeBoosts() throws Exception {
        String filler = String.join(" ", words(0, 3000));
        add("/a.txt", filler);
        index.commit();
        String question = filler + " " + filler + " quokka";

        Query query = index.withSearcher(searcher -> KeywordQuery.build(index.analyzer(), searcher, question));

        AtomicInteger clauses = new AtomicInteger();
        List<String> terms = new ArrayList<>();
        query.visit(new QueryVisitor() {
            @Override
            public void consumeTerms(Query q, org.apache.lucene.index.Term... ts) {
                clauses.incrementAndGet();
                terms.add(ts[0].text());
            }

            @Override
            public QueryVisitor getSubVisitor(org.apache.lucene.search.BooleanClause.Occur occur, Query parent) {
                return this;
            }
        });
        assertThat(clauses.get()).isLessThanOrEqualTo(IndexSearcher.getMaxClauseCount());
        assertThat(clauses.get()).isEqualTo(2 * KeywordQuery.maxTerms()); // text and title, each term once
        assertThat(terms).doesNotContain("quokka"); // in no chunk: dropped, it cannot match
        assertThat(query.toString()).contains("^2.0"); // each filler word occurs twice in the question
        assertThat(query).isNotInstanceOf(TermQuery.class);
    }

    @Test
    void aShortQueryIsBuiltAsBefore() throws Exception {
        add("/a.txt", "ollama listens on port 11434");
        index.commit();

        Query query = index.withSearcher(searcher -> KeywordQuery.build(index.analyzer(), searcher, "port port 11434"));

        // one clause per query token, repeats included: Lucene's QueryBuilder
        assertThat(query.toString())
                .isEqualTo(
                        "(text:port text:port text:11434) (title_text:port title_text:port" + " title_text:11434)^0.5");
    }
}
