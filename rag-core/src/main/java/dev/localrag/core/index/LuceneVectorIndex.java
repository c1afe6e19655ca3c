package dev.localrag.core.index;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.LocalRagException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The on-disk index: one Lucene document per chunk (HNSW vector, BM25 text, stored text and source
 * metadata) plus one per source document. Owns one {@link IndexWriter} and one {@link
 * SearcherManager} for its whole life; safe for many concurrent searches while one thread writes.
 *
 * <p>Vectors are stored normalised and compared with {@link VectorSimilarityFunction#DOT_PRODUCT}
 * (equal to cosine for unit vectors, and cheaper), in the {@link VectorFormat} the manifest names
 * (float32 HNSW or a quantized encoding, through a per-field codec). BM25 text is analysed with the
 * manifest's {@link TextAnalysis}. The {@link IndexManifest} is written into every commit's user
 * data and checked on open.
 *
 * <p>Searches: {@link #search(SearchRequest)} (filters inside the kNN and BM25 searches, min-score,
 * per-document cap, {@link HybridFusion}), or the short {@link #search(SearchMode, String,
 * float[], int)}.
 */
public final class LuceneVectorIndex implements VectorIndex {

    static final String F_KIND = "kind";
    static final String F_DOC_ID = "doc_id";
    static final String F_CHUNK_ID = "chunk_id";
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

    private static final FieldType TEXT_STORED = storedText();

    private final Path dir;
    private volatile IndexManifest manifest;
    private final Directory directory;
    private final Analyzer analyzer;
    private final IndexWriter writer;
    private final ExecutorService mergeExecutor;
    private final SearcherManager searchers;
    private final ChunkSearch chunkSearch;

    private LuceneVectorIndex(
            Path dir,
            IndexManifest manifest,
            Directory directory,
            Analyzer analyzer,
            IndexWriter writer,
            ExecutorService mergeExecutor)
            throws IOException {
        this.dir = dir;
        this.manifest = manifest;
        this.directory = directory;
        this.analyzer = analyzer;
        this.writer = writer;
        this.mergeExecutor = mergeExecutor;
        this.searchers = writer != null ? new SearcherManager(writer, null) : new SearcherManager(directory, null);
        this.chunkSearch = new ChunkSearch(this);
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
            return new LuceneVectorIndex(
                    dir, existing, directory, existing.textAnalysis().newAnalyzer(), null, null);
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
     * Refuses to create a new index at {@code dir} when that is a regular file, or a folder that
     * already holds other files (the index would be written among the user's files).
     *
     * @throws ConfigurationException naming the path
     */
    public static void checkNewIndexLocation(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigurationException("Index location " + dir
                    + " is a file, not an index folder. Give a folder that holds a LocalRAG index, or a new"
                    + " or empty folder for a new one.");
        }
        if (Files.isDirectory(dir)) {
            try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
                List<String> names = entries.map(p -> p.getFileName().toString())
                        .filter(n -> !n.equals("write.lock"))
                        .limit(3)
                        .toList();
                if (!names.isEmpty()) {
                    throw new ConfigurationException("Index location " + dir
                            + " is a folder with other files (" + String.join(", ", names)
                            + (names.size() == 3 ? ", ..." : "") + ") but no LocalRAG index. Give an empty or new"
                            + " folder for a new index, so the index is not written among your files.");
                }
            } catch (java.nio.file.AccessDeniedException e) {
                throw new ConfigurationException("Index location " + dir + ": permission denied.");
            } catch (IOException e) {
                throw new LocalRagException("Cannot read index folder " + dir + ": " + e.getMessage(), e);
            }
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
        } else {
            checkNewIndexLocation(dir);
        }
        Directory directory = null;
        ExecutorService mergeExecutor = null;
        try {
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            IndexManifest effective = existing != null ? existing : manifest;
            int cores = Runtime.getRuntime().availableProcessors();
            mergeExecutor = cores > 1 ? Executors.newFixedThreadPool(cores, mergeThreads(dir)) : null;
            KnnVectorsFormat vectors = effective.vectorFormat().luceneFormat(cores, mergeExecutor);
            ConcurrentMergeScheduler merges = new ConcurrentMergeScheduler();
            merges.setMaxMergesAndThreads(cores + 4, cores); // bulk loads merge on every core
            Analyzer analyzer = effective.textAnalysis().newAnalyzer();
            TieredMergePolicy mergePolicy = new TieredMergePolicy();
            mergePolicy.setNoCFSRatio(0);
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setMergePolicy(mergePolicy)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64)
                    .setMergeScheduler(merges)
                    // vector files stay separate (no compound file): the page cache then holds just
                    // the graph and the vectors searched with, and their sizes are measurable
                    .setUseCompoundFile(false)
                    .setCodec(new Lucene104Codec() {
                        @Override
                        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                            return vectors;
                        }
                    });
            IndexWriter writer = new IndexWriter(directory, config);
            writer.setLiveCommitData(effective.toUserData().entrySet());
            if (existing == null) {
                writer.commit(); // persist the manifest at once
            }
            return new LuceneVectorIndex(dir, effective, directory, analyzer, writer, mergeExecutor);
        } catch (org.apache.lucene.store.LockObtainFailedException e) {
            shutdown(mergeExecutor);
            closeQuietly(directory, e);
            throw new LocalRagException(
                    "Index " + dir + " is being written by another LocalRAG process (ingest or "
                            + "serve). Wait for it to finish, or use another --index.",
                    e);
        } catch (IOException e) {
            shutdown(mergeExecutor);
            closeQuietly(directory, e);
            throw new LocalRagException("Cannot open index " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ThreadFactory mergeThreads(Path dir) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "localrag-hnsw-merge-" + n.incrementAndGet() + " " + dir.getFileName());
            t.setDaemon(true);
            return t;
        };
    }

    private static void shutdown(ExecutorService executor) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    public Path dir() {
        return dir;
    }

    @Override
    public String location() {
        return dir.toString();
    }

    @Override
    public IndexManifest manifest() {
        return manifest;
    }

    /** {@inheritDoc} Durable with the next {@link #commit()} (written into its user data). */
    @Override
    public void recordHybridVectorWeight(double weight) {
        writer();
        manifest = manifest.withHybridVectorWeight(weight);
    }

    /**
     * Replaces every chunk of {@code document} with {@code chunks}, atomically: searchers see either
     * the old chunks or the new ones, never a mix. Visible after {@link #commit()}.
     */
    @Override
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
    @Override
    public void deleteDocument(String documentId) {
        IndexWriter writer = writer();
        try {
            writer.deleteDocuments(new Term(F_DOC_ID, documentId));
        } catch (IOException e) {
            throw new LocalRagException(
                    "Cannot delete " + documentId + " from index " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes every document that has a chunk matching {@code filter} (the whole document, so no
     * document is left with only some of its chunks), including changes not yet committed. Visible
     * after {@link #commit()} or {@link #refresh()}.
     *
     * @return how many documents were removed
     * @throws UnsupportedFilterException when the filter cannot be evaluated
     */
    @Override
    public int deleteMatching(Filter filter) {
        Checks.notNull(filter, "filter");
        IndexWriter writer = writer();
        Query query = MetadataFields.toQuery(filter, kindQuery(KIND_CHUNK));
        refresh();
        java.util.Set<String> ids = withSearcher(searcher -> {
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            StoredFields stored = searcher.storedFields();
            int max = Math.max(1, searcher.getIndexReader().maxDoc());
            for (ScoreDoc sd : searcher.search(query, max).scoreDocs) {
                out.add(stored.document(sd.doc, java.util.Set.of(F_DOC_ID)).get(F_DOC_ID));
            }
            return out;
        });
        try {
            for (String id : ids) {
                writer.deleteDocuments(new Term(F_DOC_ID, id));
            }
        } catch (IOException e) {
            throw new LocalRagException("Cannot delete from index " + dir + ": " + e.getMessage(), e);
        }
        return ids.size();
    }

    /** Removes every document. Visible after {@link #commit()} or {@link #refresh()}. */
    @Override
    public void deleteAll() {
        try {
            writer().deleteAll();
        } catch (IOException e) {
            throw new LocalRagException("Cannot clear index " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes all changes visible to searches without the cost of making them durable (a near-real-time
     * reader); {@link #commit()} does both.
     */
    @Override
    public void refresh() {
        writer();
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new LocalRagException("Cannot refresh index " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Commits, then merges the index down to at most {@code maxSegments} segments and commits again:
     * after a bulk load, fewer segments mean fewer HNSW graphs to search. Blocks until done.
     */
    public void forceMerge(int maxSegments) {
        Checks.positive(maxSegments, "maxSegments");
        commit();
        try {
            writer().forceMerge(maxSegments);
        } catch (IOException e) {
            throw new LocalRagException("Cannot merge index " + dir + ": " + e.getMessage(), e);
        }
        commit();
    }

    /** Makes all changes durable and visible to searches. */
    @Override
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
    @Override
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
                        d.getField(F_MTIME).numericValue().longValue(),
                        MetadataFields.read(d));
                out.put(doc.id(), doc);
            }
            return out;
        });
    }

    @Override
    public int chunkCount(String documentId) {
        Checks.notBlank(documentId, "documentId");
        return withSearcher(searcher -> searcher.count(new BooleanQuery.Builder()
                .add(kindQuery(KIND_CHUNK), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(F_DOC_ID, documentId)), BooleanClause.Occur.FILTER)
                .build()));
    }

    /**
     * The chunks of one document in order, as hits with score 0; empty when the index does not
     * hold the document.
     */
    @Override
    public List<SearchHit> chunks(String documentId) {
        Checks.notBlank(documentId, "documentId");
        return withSearcher(searcher -> {
            Query query = new BooleanQuery.Builder()
                    .add(kindQuery(KIND_CHUNK), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term(F_DOC_ID, documentId)), BooleanClause.Occur.FILTER)
                    .build();
            StoredFields stored = searcher.storedFields();
            List<SearchHit> out = new ArrayList<>();
            for (ScoreDoc sd :
                    searcher.search(query, Math.max(1, searcher.getIndexReader().maxDoc())).scoreDocs) {
                Document d = stored.document(sd.doc);
                out.add(new SearchHit(
                        d.get(F_DOC_ID),
                        d.get(F_TITLE),
                        d.getField(F_ORDINAL).numericValue().intValue(),
                        d.get(F_TEXT),
                        0));
            }
            out.sort(java.util.Comparator.comparingInt(SearchHit::ordinal));
            return out;
        });
    }

    /**
     * The chunks of one source document as stored, in ordinal order, with their vectors read back
     * from the index: lets an ingest reuse the vectors of chunk texts that did not change instead of
     * embedding them again. Empty when the document is not in the index.
     */
    @Override
    public List<ChunkRecord> chunkRecords(String documentId) {
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

    @Override
    public IndexStats stats() {
        return withSearcher(
                searcher -> new IndexStats(searcher.count(kindQuery(KIND_DOC)), searcher.count(kindQuery(KIND_CHUNK))));
    }

    /**
     * The chunks that best match {@code request}: filters are applied inside the searches (the HNSW
     * graph search only collects matching chunks), then min-score and the per-document cap.
     *
     * @throws UnsupportedFilterException when the filter cannot be evaluated
     */
    @Override
    public List<SearchHit> search(SearchRequest request) {
        Checks.notNull(request, "request");
        if (request.mode() != SearchMode.KEYWORD && request.vector().length != manifest.dimension()) {
            throw new IllegalArgumentException("query vector has " + request.vector().length + " dimensions; index "
                    + dir + " holds " + manifest.dimension() + "-d vectors");
        }
        Query filter =
                request.filter() == null ? null : MetadataFields.toQuery(request.filter(), kindQuery(KIND_CHUNK));
        return withSearcher(searcher -> chunkSearch.search(searcher, request, filter));
    }

    Analyzer analyzer() {
        return analyzer;
    }

    static Query kindQuery(String kind) {
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
        MetadataFields.store(d, document);
        return d;
    }

    static String chunkId(String documentId, int ordinal) {
        return documentId + "#" + ordinal;
    }

    private Document chunkRecord(SourceDocument document, ChunkRecord chunk) {
        Document d = new Document();
        d.add(new StringField(F_KIND, KIND_CHUNK, Field.Store.NO));
        d.add(new StringField(F_DOC_ID, document.id(), Field.Store.YES));
        d.add(new StringField(F_CHUNK_ID, chunkId(document.id(), chunk.ordinal()), Field.Store.NO));
        d.add(new StoredField(F_TITLE, document.title()));
        d.add(new StoredField(F_MIME, document.mimeType()));
        d.add(new TextField(F_TITLE_TEXT, document.title(), Field.Store.NO));
        d.add(new StoredField(F_ORDINAL, chunk.ordinal()));
        d.add(new Field(F_TEXT, chunk.text(), TEXT_STORED));
        d.add(new KnnFloatVectorField(F_VECTOR, chunk.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        MetadataFields.addTo(d, document);
        return d;
    }

    private static FieldType storedText() {
        FieldType type = new FieldType(TextField.TYPE_STORED);
        type.freeze();
        return type;
    }

    @FunctionalInterface
    interface SearcherFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    <T> T withSearcher(SearcherFunction<T> function) {
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
        } finally {
            shutdown(mergeExecutor);
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
