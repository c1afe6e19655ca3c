package dev.localrag.core.index;

import static dev.localrag.core.index.LuceneVectorIndex.F_TEXT;
import static dev.localrag.core.index.LuceneVectorIndex.F_TITLE_TEXT;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * The BM25 query for a text: its analysed terms against the chunk text, and at half weight against
 * the title. Any length works: a text with more terms than Lucene allows clauses ({@link
 * IndexSearcher#getMaxClauseCount()}, 1,024, counted over both fields) is reduced to its distinct
 * terms, each boosted by how often the text repeats it (the same BM25 sum), and of those the
 * {@link #maxTerms()} rarest in the index (highest IDF) are kept; terms no chunk holds are dropped
 * first, since they cannot match.
 */
final class KeywordQuery {

    /** Room left for filter clauses. */
    private static final int RESERVED_CLAUSES = 24;

    private KeywordQuery() {}

    /** The most distinct terms a query keeps: two clauses each (text and title) fit Lucene's limit. */
    static int maxTerms() {
        return (IndexSearcher.getMaxClauseCount() - RESERVED_CLAUSES) / 2;
    }

    static Query build(Analyzer analyzer, IndexSearcher searcher, String text) throws IOException {
        String t = text == null ? "" : text;
        Map<String, Integer> terms = terms(analyzer, t);
        if (terms.isEmpty()) {
            return new MatchNoDocsQuery("no searchable terms in query");
        }
        if (tokenCount(terms) <= maxTerms()) {
            return phraseAware(analyzer, t); // the usual case: Lucene's own query building
        }
        IndexReader reader = searcher.getIndexReader();
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        Map<String, Integer> docFreq = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : terms.entrySet()) {
            int df = Math.max(
                    reader.docFreq(new Term(F_TEXT, e.getKey())), reader.docFreq(new Term(F_TITLE_TEXT, e.getKey())));
            if (df > 0) {
                docFreq.put(e.getKey(), df);
                kept.add(e);
            }
        }
        if (kept.isEmpty()) {
            return new MatchNoDocsQuery("no query term occurs in the index");
        }
        // rarest first (highest IDF); ties keep the text's order
        kept.sort(Comparator.comparingInt(e -> docFreq.get(e.getKey())));
        BooleanQuery.Builder body = new BooleanQuery.Builder();
        BooleanQuery.Builder title = new BooleanQuery.Builder();
        for (Map.Entry<String, Integer> e : kept.subList(0, Math.min(kept.size(), maxTerms()))) {
            body.add(boosted(new TermQuery(new Term(F_TEXT, e.getKey())), e.getValue()), BooleanClause.Occur.SHOULD);
            title.add(
                    boosted(new TermQuery(new Term(F_TITLE_TEXT, e.getKey())), e.getValue()),
                    BooleanClause.Occur.SHOULD);
        }
        return combine(body.build(), title.build());
    }

    private static Query phraseAware(Analyzer analyzer, String text) {
        QueryBuilder builder = new QueryBuilder(analyzer);
        Query body = builder.createBooleanQuery(F_TEXT, text);
        Query title = builder.createBooleanQuery(F_TITLE_TEXT, text);
        if (body == null && title == null) {
            return new MatchNoDocsQuery("no searchable terms in query");
        }
        return combine(body, title);
    }

    private static Query combine(Query body, Query title) {
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        if (body != null) {
            q.add(body, BooleanClause.Occur.SHOULD);
        }
        if (title != null) {
            q.add(new BoostQuery(title, 0.5f), BooleanClause.Occur.SHOULD);
        }
        return q.build();
    }

    private static Query boosted(Query q, int times) {
        return times == 1 ? q : new BoostQuery(q, times);
    }

    /** The analysed terms of {@code text} with how often each occurs, in order of first occurrence. */
    static Map<String, Integer> terms(Analyzer analyzer, String text) throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream(F_TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.merge(term.toString(), 1, Integer::sum);
            }
            ts.end();
        }
        return out;
    }

    private static int tokenCount(Map<String, Integer> terms) {
        int n = 0;
        for (int c : terms.values()) {
            n += c;
        }
        return n;
    }
}
