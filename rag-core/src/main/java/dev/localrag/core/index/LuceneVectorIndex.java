package dev.localrag.core.index;

import dev.localrag.core.Checks;
import dev.localrag.core.LocalRagException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * The on-disk index: one Lucene document per chunk (HNSW vector, BM25 text, stored text and source
 * metadata) plus one per source document. Owns one {@link IndexWriter} and one {@link
 * SearcherManager} for its whole life; safe for many concurrent searches while one thread writes.
 *
 * <p>Vectors are stored normalised and compared with {@link VectorSimilarityFunction#DOT_PRODUCT}
 * (equal to cosine for unit vectors, and cheaper). The {@link IndexManifest} is written into every
 * commit's user data and checked on open.
 */
public final class LuceneVectorIndex implements AutoCloseable {

    static final String F_KIND = "kind";
    static final String F_DOC_ID = "doc_id";
    static final String F_TITLE = "title";
    static final String F_TITLE_TEXT = "title_text";
    static final String F_ORDINAL = "ordinal";
    static final String F_TEXT = "text";
    static final String F_VECTOR = "vector";
    static final String F_MIME = "mime";
    static final String F_HASH = "hash";
    static final String F_SIZE = "size";
    static final String F_MTIME = "mtime";
    static final String F_CHUNKS = "chunks";
    static final String KIND_DOC = "doc";
    static final String KIND_CHUNK = "chunk";

    /** Reciprocal rank fusion constant, as in the original RRF paper. */
    static final int RRF_K = 60;

    private static final FieldType TEXT_STORED = storedText();

    private final Path dir;
    private final IndexManifest manifest;
    private final Directory directory;
    private final Analyzer analyzer;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    private LuceneVectorIndex(Path dir, IndexManifest manifest, Directory directory, IndexWriter writer)
            throws IOException {
        this.dir = dir;
        this.manifest = manifest;
        this.directory = directory;
        this.analyzer = writer != null ? writer.getAnalyzer() : new EnglishAnalyzer();
        this.writer = writer;
        this.searchers = writer != null ? new SearcherManager(writer, null) : new SearcherManager(directory, null);
    }

    /**
     * Opens an existing index for searching only: takes no write lock, so it works while another
     * process ingests (it sees that process's last commit).
     *
     * @throws IndexNotFoundException when there is no index in {@code dir}
     */
    public static LuceneVectorIndex openReadOnly(Path dir) {
        IndexManifest existing = readManifest(dir);
        if (existing == null) {
            throw new IndexNotFoundException(dir);
        }
        existing.checkCompatible(dir, existing);
        Directory directory = null;
        try {
            directory = FSDirectory.open(dir);
            return new LuceneVectorIndex(dir, existing, directory, null);
        } catch (IOException e) {
            closeQuietly(directory, e);
            throw new LocalRagException("Cannot open index " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The manifest of the index in {@code dir}, or null when there is no index there yet. */
    public static IndexManifest readManifest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Directory d = FSDirectory.open(dir)) {
            if (!DirectoryReader.indexExists(d)) {
                return null;
            }
            return IndexManifest.fromUserData(
                    dir, SegmentInfos.readLatestCommit(d).getUserData());
        } catch (IOException e) {
            throw new LocalRagException("Cannot read index " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the index in {@code dir}, creating it with {@code manifest} when absent.
     *
     * @throws IndexMismatchException when the existing index was built differently
     */
    public static LuceneVectorIndex open(Path dir, IndexManifest manifest) {
        Checks.notNull(dir, "dir");
        Checks.notNull(manifest, "manifest");
        IndexManifest existing = readManifest(dir);
        if (existing != null) {
            existing.checkCompatible(dir, manifest);
        }
        Directory directory = null;
        try {
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            IndexWriterConfig config = new IndexWriterConfig(new EnglishAnalyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64);
            IndexWriter writer = new IndexWriter(directory, config);
            IndexManifest effective = existing != null ? existing : manifest;
            writer.setLiveCommitData(effective.toUserData().entrySet());
            if (existing == null) {
                writer.commit(); // persist the manifest at once
            }
            return new LuceneVectorIndex(dir, effective, directory, writer);
        } catch (org.apache.lucene.store.LockObtainFailedException e) {
            closeQuietly(directory, e);
            throw new LocalRagException(
                    "Index " + dir + " is being written by another LocalRAG process (ingest or "
                            + "serve). Wait for it to finish, or use another --index.",
                    e);
        } catch (IOException e) {
            closeQuietly(directory, e);
            throw new LocalRagException("Cannot open index " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public IndexManifest manifest() {
        return manifest;
    }

    /**
     * Replaces every chunk of {@code document} with {@code chunks}, atomically: searchers see either
     * the old chunks or the new ones, never a mix. Visible after {@link #commit()}.
     */
    public void replaceDocument(SourceDocument document, List<ChunkRecord> chunks) {
        Checks.notNull(document, "document");
        Checks.notNull(chunks, "chunks");
        IndexWriter writer = writer();
        List<Document> docs = new ArrayList<>(chunks.size() + 1);
        docs.add(documentRecord(document, chunks.size()));
        for (ChunkRecord chunk : chunks) {
            if (chunk.vector().length != manifest.dimension()) {
                throw new IllegalArgumentException("chunk " + chunk.ordinal() + " of " + document.id() + " has a "
                        + chunk.vector().length + "-d vector; index " + dir + " holds " + manifest.dimension()
                        + "-d vectors from " + manifest.embedder());
            }
            docs.add(chunkRecord(document, chunk));
        }
        try {
            writer.updateDocuments(new Term(F_DOC_ID, document.id()), docs);
        } catch (IOException e) {
            throw new LocalRagException(
                    "Cannot write " + document.id() + " to index " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes a document and its chunks. Visible after {@link #commit()}. */
    public void deleteDocument(String documentId) {
        IndexWriter writer = writer();
        try {
            writer.deleteDocuments(new Term(F_DOC_ID, documentId));
        } catch (IOException e) {
            throw new LocalRagException(
                    "Cannot delete " + documentId + " from index " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Makes all changes durable and visible to searches. */
    public void commit() {
        IndexWriter writer = writer();
        try {
            writer.setLiveCommitData(manifest.toUserData().entrySet());
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new LocalRagException("Cannot commit index " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The source documents in the index, by id. */
    public Map<String, SourceDocument> documents() {
        return withSearcher(searcher -> {
            Map<String, SourceDocument> out = new LinkedHashMap<>();
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc sd : searcher.search(
                            kindQuery(KIND_DOC),
                            Math.max(1, searcher.getIndexReader().maxDoc()))
                    .scoreDocs) {
                Document d = stored.document(sd.doc);
                SourceDocument doc = new SourceDocument(
                        d.get(F_DOC_ID),
                        d.get(F_TITLE),
                        d.get(F_MIME),
                        d.get(F_HASH),
                        d.getField(F_SIZE).numericValue().longValue(),
                        d.getField(F_MTIME).numericValue().longValue());
                out.put(doc.id(), doc);
            }
            return out;
        });
    }

    /**
     * The chunks of one source document as stored, in ordinal order, with their vectors read back
     * from the index: lets an ingest reuse the vectors of chunk texts that did not change instead of
     * embedding them again. Empty when the document is not in the index.
     */
    public List<ChunkRecord> chunks(String documentId) {
        Checks.notBlank(documentId, "documentId");
        return withSearcher(searcher -> {
            BooleanQuery query = new BooleanQuery.Builder()
                    .add(kindQuery(KIND_CHUNK), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term(F_DOC_ID, documentId)), BooleanClause.Occur.FILTER)
                    .build();
            List<ChunkRecord> out = new ArrayList<>();
            for (org.apache.lucene.index.LeafReaderContext leaf :
                    searcher.getIndexReader().leaves()) {
                org.apache.lucene.search.Weight weight = searcher.createWeight(
                        searcher.rewrite(query), org.apache.lucene.search.ScoreMode.COMPLETE_NO_SCORES, 1f);
                org.apache.lucene.search.Scorer scorer = weight.scorer(leaf);
                if (scorer == null) {
                    continue;
                }
                org.apache.lucene.index.FloatVectorValues vectors =
                        leaf.reader().getFloatVectorValues(F_VECTOR);
                org.apache.lucene.index.KnnVectorValues.DocIndexIterator vectorDocs =
                        vectors == null ? null : vectors.iterator();
                StoredFields stored = leaf.reader().storedFields();
                org.apache.lucene.util.Bits live = leaf.reader().getLiveDocs();
                org.apache.lucene.search.DocIdSetIterator docs = scorer.iterator();
                for (int doc = docs.nextDoc();
                        doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
                        doc = docs.nextDoc()) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    if (vectorDocs == null || vectorDocs.advance(doc) != doc) {
                        throw new LocalRagException(
                                "Index " + dir + " has a chunk of " + documentId + " without a vector");
                    }
                    Document d = stored.document(doc);
                    out.add(new ChunkRecord(
                            d.getField(F_ORDINAL).numericValue().intValue(),
                            d.get(F_TEXT),
                            vectors.vectorValue(vectorDocs.index()).clone()));
                }
            }
            out.sort(java.util.Comparator.comparingInt(ChunkRecord::ordinal));
            return out;
        });
    }

    public IndexStats stats() {
        return withSearcher(
                searcher -> new IndexStats(searcher.count(kindQuery(KIND_DOC)), searcher.count(kindQuery(KIND_CHUNK))));
    }

    /**
     * Top {@code k} chunks for a query.
     *
     * @param queryVector unit-length query embedding (ignored in keyword mode, may then be null)
     */
    public List<SearchHit> search(SearchMode mode, String queryText, float[] queryVector, int k) {
        Checks.positive(k, "k");
        return withSearcher(searcher -> switch (mode) {
            case VECTOR -> hits(searcher, vectorHits(searcher, queryVector, k), k);
            case KEYWORD -> hits(searcher, keywordHits(searcher, queryText, k), k);
            case HYBRID -> {
                int depth = Math.max(50, 4 * k);
                yield hits(
                        searcher,
                        reciprocalRankFusion(List.of(
                                vectorHits(searcher, queryVector, depth), keywordHits(searcher, queryText, depth))),
                        k);
            }
        });
    }

    private ScoreDoc[] vectorHits(IndexSearcher searcher, float[] queryVector, int k) throws IOException {
        Checks.notNull(queryVector, "queryVector");
        if (queryVector.length != manifest.dimension()) {
            throw new IllegalArgumentException("query vector has " + queryVector.length + " dimensions; index " + dir
                    + " holds " + manifest.dimension() + "-d vectors");
        }
        return searcher.search(new KnnFloatVectorQuery(F_VECTOR, queryVector, k), k).scoreDocs;
    }

    private ScoreDoc[] keywordHits(IndexSearcher searcher, String queryText, int k) throws IOException {
        return searcher.search(keywordQuery(queryText), k).scoreDocs;
    }

    Query keywordQuery(String text) {
        QueryBuilder builder = new QueryBuilder(analyzer);
        Query body = builder.createBooleanQuery(F_TEXT, text == null ? "" : text);
        Query title = builder.createBooleanQuery(F_TITLE_TEXT, text == null ? "" : text);
        if (body == null && title == null) {
            return new MatchNoDocsQuery("no searchable terms in query");
        }
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        if (body != null) {
            q.add(body, BooleanClause.Occur.SHOULD);
        }
        if (title != null) {
            q.add(new BoostQuery(title, 0.5f), BooleanClause.Occur.SHOULD);
        }
        return q.build();
    }

    static ScoreDoc[] reciprocalRankFusion(List<ScoreDoc[]> rankings) {
        Map<Integer, Double> fused = new HashMap<>();
        for (ScoreDoc[] ranking : rankings) {
            for (int rank = 0; rank < ranking.length; rank++) {
                fused.merge(ranking[rank].doc, 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        return fused.entrySet().stream()
                .sorted(Map.Entry.<Integer, Double>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new ScoreDoc(e.getKey(), e.getValue().floatValue()))
                .toArray(ScoreDoc[]::new);
    }

    private static List<SearchHit> hits(IndexSearcher searcher, ScoreDoc[] scoreDocs, int k) throws IOException {
        StoredFields stored = searcher.storedFields();
        List<SearchHit> out = new ArrayList<>(Math.min(k, scoreDocs.length));
        for (int i = 0; i < scoreDocs.length && out.size() < k; i++) {
            Document d = stored.document(scoreDocs[i].doc);
            out.add(new SearchHit(
                    d.get(F_DOC_ID),
                    d.get(F_TITLE),
                    d.getField(F_ORDINAL).numericValue().intValue(),
                    d.get(F_TEXT),
                    scoreDocs[i].score));
        }
        return out;
    }

    private static Query kindQuery(String kind) {
        return new TermQuery(new Term(F_KIND, kind));
    }

    private Document documentRecord(SourceDocument document, int chunkCount) {
        Document d = new Document();
        d.add(new StringField(F_KIND, KIND_DOC, Field.Store.NO));
        d.add(new StringField(F_DOC_ID, document.id(), Field.Store.YES));
        d.add(new StoredField(F_TITLE, document.title()));
        d.add(new StoredField(F_MIME, document.mimeType()));
        d.add(new StoredField(F_HASH, document.contentHash()));
        d.add(new StoredField(F_SIZE, document.size()));
        d.add(new StoredField(F_MTIME, document.modifiedMillis()));
        d.add(new StoredField(F_CHUNKS, chunkCount));
        return d;
    }

    private Document chunkRecord(SourceDocument document, ChunkRecord chunk) {
        Document d = new Document();
        d.add(new StringField(F_KIND, KIND_CHUNK, Field.Store.NO));
        d.add(new StringField(F_DOC_ID, document.id(), Field.Store.YES));
        d.add(new StoredField(F_TITLE, document.title()));
        d.add(new TextField(F_TITLE_TEXT, document.title(), Field.Store.NO));
        d.add(new StoredField(F_ORDINAL, chunk.ordinal()));
        d.add(new Field(F_TEXT, chunk.text(), TEXT_STORED));
        d.add(new KnnFloatVectorField(F_VECTOR, chunk.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        return d;
    }

    private static FieldType storedText() {
        FieldType type = new FieldType(TextField.TYPE_STORED);
        type.freeze();
        return type;
    }

    @FunctionalInterface
    private interface SearcherFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearcherFunction<T> function) {
        IndexSearcher searcher;
        try {
            searcher = searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return function.apply(searcher);
        } catch (IOException e) {
            throw new LocalRagException("Search in index " + dir + " failed: " + e.getMessage(), e);
        } finally {
            try {
                searchers.release(searcher);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private IndexWriter writer() {
        if (writer == null) {
            throw new IllegalStateException("index " + dir + " was opened read-only");
        }
        return writer;
    }

    /** Commits pending changes and closes the writer, searchers and directory. */
    @Override
    public void close() {
        try {
            searchers.close();
            if (writer != null) {
                writer.setLiveCommitData(manifest.toUserData().entrySet());
                writer.close();
            }
            directory.close();
        } catch (IOException e) {
            throw new LocalRagException("Cannot close index " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Directory directory, Exception primary) {
        if (directory != null) {
            try {
                directory.close();
            } catch (IOException suppressed) {
                primary.addSuppressed(suppressed);
            }
        }
    }
}
