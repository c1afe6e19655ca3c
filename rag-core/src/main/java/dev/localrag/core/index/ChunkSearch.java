package dev.localrag.core.index;

import static dev.localrag.core.index.LuceneVectorIndex.F_DOC_ID;
import static dev.localrag.core.index.LuceneVectorIndex.F_MIME;
import static dev.localrag.core.index.LuceneVectorIndex.F_ORDINAL;
import static dev.localrag.core.index.LuceneVectorIndex.F_TEXT;
import static dev.localrag.core.index.LuceneVectorIndex.F_TITLE;
import static dev.localrag.core.index.LuceneVectorIndex.F_VECTOR;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;

/**
 * One search over one point-in-time searcher: the vector and keyword rankings (each restricted by
 * the filter inside the search), fusion, min-score and the per-document cap.
 */
final class ChunkSearch {

    /** Hybrid mode ranks at least this many candidates from each side before fusing. */
    static final int HYBRID_MIN_DEPTH = 50;
    /** How far a capped search may widen its candidate set to fill k slots. */
    static final int MAX_DEPTH = 10_000;

    private final LuceneVectorIndex index;

    ChunkSearch(LuceneVectorIndex index) {
        this.index = index;
    }

    List<SearchHit> search(IndexSearcher searcher, SearchRequest request, Query filter) throws IOException {
        int k = request.k();
        int depth = request.mode() == SearchMode.HYBRID ? Math.max(HYBRID_MIN_DEPTH, 4 * k) : k;
        if (request.maxChunksPerDocument() > 0) {
            depth = Math.max(depth, 4 * k);
        }
        int maxDoc = Math.max(1, searcher.getIndexReader().maxDoc());
        while (true) {
            int d = Math.min(depth, maxDoc);
            Ranking ranking = rank(searcher, request, filter, d);
            List<SearchHit> hits = select(searcher, request, ranking.scoreDocs());
            boolean moreAvailable = ranking.full() && d < maxDoc && d < MAX_DEPTH;
            if (hits.size() >= k || !moreAvailable || request.maxChunksPerDocument() == 0) {
                return hits;
            }
            depth = d * 4; // the cap dropped too many: widen the candidate set
        }
    }

    /**
     * @param scoreDocs best first
     * @param full whether a ranking returned as many candidates as asked, so more may exist
     */
    private record Ranking(List<ScoreDoc> scoreDocs, boolean full) {}

    private Ranking rank(IndexSearcher searcher, SearchRequest request, Query filter, int depth) throws IOException {
        return switch (request.mode()) {
            case VECTOR -> {
                ScoreDoc[] v = vectorHits(searcher, request, depth, filter);
                yield new Ranking(Arrays.asList(v), v.length >= depth);
            }
            case KEYWORD -> {
                ScoreDoc[] kw = keywordHits(searcher, request.text(), depth, filter);
                yield new Ranking(Arrays.asList(kw), kw.length >= depth);
            }
            case HYBRID -> {
                ScoreDoc[] v = vectorHits(searcher, request, depth, filter);
                ScoreDoc[] kw = request.text() == null || request.text().isBlank()
                        ? new ScoreDoc[0]
                        : keywordHits(searcher, request.text(), depth, filter);
                List<ScoreDoc> fused =
                        fuse(searcher, request.hybridFusion(index.manifest().defaultVectorWeight()), v, kw, depth);
                yield new Ranking(fused, v.length >= depth || kw.length >= depth);
            }
        };
    }

    /**
     * The fused ranking, link-list damped as {@link #select} reads it: only the candidates that can
     * still reach the positions read have their text read. A failed read surfaces from {@code get}
     * as an {@link UncheckedIOException}.
     */
    private static List<ScoreDoc> fuse(
            IndexSearcher searcher, HybridFusion fusion, ScoreDoc[] vector, ScoreDoc[] keyword, int depth)
            throws IOException {
        StoredFields stored = searcher.storedFields();
        Set<String> textOnly = Set.of(F_TEXT);
        List<HybridFusion.Scored<Integer>> damped = fusion.damped(scored(vector), scored(keyword), depth, doc -> {
            try {
                return stored.document(doc, textOnly).get(F_TEXT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return HybridFusion.mapped(damped, s -> new ScoreDoc(s.key(), (float) s.score()));
    }

    private static List<HybridFusion.Scored<Integer>> scored(ScoreDoc[] ranking) {
        List<HybridFusion.Scored<Integer>> out = new ArrayList<>(ranking.length);
        for (ScoreDoc sd : ranking) {
            out.add(new HybridFusion.Scored<>(sd.doc, sd.score));
        }
        return out;
    }

    /**
     * The {@code n} nearest chunks, from the request's graph candidates (at least {@code n}: k = 5
     * alone would explore too little of the graph for good recall); with a filter, the graph search
     * itself only collects matching chunks (Lucene falls back to exact search when the filter is
     * too selective for the graph). Quantized formats search the graph for {@code oversample} times
     * as many candidates and rescore them with the stored full-precision vectors.
     */
    ScoreDoc[] vectorHits(IndexSearcher searcher, SearchRequest request, int n, Query filter) throws IOException {
        VectorFormat format = index.manifest().vectorFormat();
        float[] vector = request.vector();
        int candidates = (int)
                Math.min((long) request.graphCandidates(n) * format.oversample(), SearchRequest.MAX_CANDIDATES * 10L);
        Query query = new KnnFloatVectorQuery(F_VECTOR, vector, candidates, filter);
        if (format.rescores()) {
            query = RescoreTopNQuery.createFullPrecisionRescorerQuery(query, vector, F_VECTOR, n);
        }
        return searcher.search(query, n).scoreDocs;
    }

    private ScoreDoc[] keywordHits(IndexSearcher searcher, String text, int n, Query filter) throws IOException {
        Query query = KeywordQuery.build(index.analyzer(), searcher, text);
        if (filter != null) {
            query = new BooleanQuery.Builder()
                    .add(query, BooleanClause.Occur.MUST)
                    .add(filter, BooleanClause.Occur.FILTER)
                    .build();
        }
        return searcher.search(query, n).scoreDocs;
    }

    private static List<SearchHit> select(IndexSearcher searcher, SearchRequest request, List<ScoreDoc> ranked)
            throws IOException {
        try {
            return selectFrom(searcher, request, ranked);
        } catch (UncheckedIOException e) {
            throw e.getCause(); // a stored text read for damping: reported by the index as a failed search
        }
    }

    private static List<SearchHit> selectFrom(IndexSearcher searcher, SearchRequest request, List<ScoreDoc> ranked)
            throws IOException {
        StoredFields stored = searcher.storedFields();
        int cap = request.maxChunksPerDocument();
        Map<String, Integer> perDocument = new HashMap<>();
        List<SearchHit> out = new ArrayList<>(Math.min(request.k(), ranked.size()));
        for (int i = 0; i < ranked.size() && out.size() < request.k(); i++) {
            ScoreDoc sd = ranked.get(i);
            if (request.minScore() > 0 && sd.score < request.minScore()) {
                break; // ranked best first
            }
            Document d = stored.document(sd.doc);
            String documentId = d.get(F_DOC_ID);
            if (cap > 0 && perDocument.merge(documentId, 1, Integer::sum) > cap) {
                continue;
            }
            out.add(new SearchHit(
                    documentId,
                    d.get(F_TITLE),
                    d.getField(F_ORDINAL).numericValue().intValue(),
                    d.get(F_TEXT),
                    sd.score,
                    d.get(F_MIME),
                    MetadataFields.read(d),
                    request.includeVectors() ? vector(searcher, sd.doc) : null));
        }
        return out;
    }

    private static float[] vector(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(F_VECTOR);
        if (values == null) {
            return null;
        }
        KnnVectorValues.DocIndexIterator it = values.iterator();
        int local = doc - leaf.docBase;
        return it.advance(local) == local ? values.vectorValue(it.index()).clone() : null;
    }
}
