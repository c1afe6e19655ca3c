package dev.localrag.core.index;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.Checks;
import java.util.List;
import java.util.Map;

/**
 * A document index: source documents, each owning its chunks (text, vector and metadata), searched
 * by vector similarity, BM25 keywords or both. Everything that ingests into or searches an index
 * (ingest, answers, the server, eval, the LangChain4j adapters) codes against this interface; {@link
 * LuceneVectorIndex} is the local implementation.
 *
 * <p>What every implementation guarantees, checked by the shared contract suite ({@code
 * VectorIndexContract} in rag-core's test-jar):
 *
 * <ul>
 *   <li>the {@link #manifest()} (embedder, dimension, chunking, text analysis, vector format) is
 *       stored with the index and checked when it is opened: an index is never written with other
 *       settings than it was built with;
 *   <li>{@link #replaceDocument} and {@link #deleteDocument} are atomic per document: a concurrent
 *       search sees all of the old chunks or all of the new ones, never a mix or a part;
 *   <li>filters are applied inside the searches, so a selective filter still returns up to {@code k}
 *       matching chunks;
 *   <li>changes are visible to searches after {@link #refresh()} and durable after {@link #commit()};
 *   <li>the hybrid vector weight {@link HybridCalibration} measured ({@link
 *       #recordHybridVectorWeight}) is kept in the manifest like the rest of it and used by every
 *       hybrid search that sets no weight, so a search ranks the same on every backend.
 * </ul>
 *
 * <p>Thread-safe: many searches may run while one thread writes.
 */
public interface VectorIndex extends AutoCloseable {

    /** Where the index lives, for messages: a folder, or a cluster URL and index name. */
    String location();

    /** What the index was built with. */
    IndexManifest manifest();

    /**
     * Records the hybrid vector weight {@link HybridCalibration} measured for this index in its
     * manifest: {@link #manifest()} and hybrid searches that set no weight use it at once, and it is
     * stored with the manifest by the next {@link #commit()} at the latest, so a reopened index keeps
     * it. Reopening with a manifest that has no weight (as every ingest does) keeps the stored one.
     *
     * @param weight in [0, 1], or NaN for none (hybrid searches then use {@link HybridFusion#DEFAULT}'s)
     * @throws IllegalArgumentException for a weight outside [0, 1]
     * @throws IllegalStateException when the index was opened read-only
     */
    void recordHybridVectorWeight(double weight);

    /**
     * Replaces every chunk of {@code document} with {@code chunks}, atomically: searchers see either
     * the old chunks or the new ones, never a mix. Visible after {@link #refresh()} or {@link
     * #commit()}.
     *
     * @throws IllegalArgumentException when a chunk's vector has another dimension than the index's
     */
    void replaceDocument(SourceDocument document, List<ChunkRecord> chunks);

    /** Removes a document and its chunks (nothing when absent). Visible after a refresh or commit. */
    void deleteDocument(String documentId);

    /**
     * Removes every document that has a chunk matching {@code filter} (the whole document, so no
     * document is left with only some of its chunks), including changes not yet committed.
     *
     * @return how many documents were removed
     * @throws UnsupportedFilterException when the filter cannot be evaluated
     */
    int deleteMatching(Filter filter);

    /** Removes every document. Visible after a refresh or commit. */
    void deleteAll();

    /** Makes all changes visible to searches (not necessarily durable). */
    void refresh();

    /** Makes all changes durable and visible to searches. */
    void commit();

    /** The source documents in the index, by id. */
    Map<String, SourceDocument> documents();

    /** How many chunks the index holds for one document: 0 when it does not hold the document. */
    int chunkCount(String documentId);

    /**
     * The chunks of one document in order, as hits with score 0; empty when the index does not hold
     * the document.
     */
    List<SearchHit> chunks(String documentId);

    /**
     * The chunks of one document as stored, in ordinal order, with their vectors: lets an ingest
     * reuse the vectors of chunk texts that did not change. Empty when the document is absent.
     */
    List<ChunkRecord> chunkRecords(String documentId);

    /** How many documents and chunks the index holds. */
    IndexStats stats();

    /**
     * The chunks that best match {@code request}: filters inside the searches, then min-score and the
     * per-document cap.
     *
     * @throws UnsupportedFilterException when the filter cannot be evaluated
     * @throws IllegalArgumentException when the query vector has another dimension than the index's
     */
    List<SearchHit> search(SearchRequest request);

    /**
     * Top {@code k} chunks for a query.
     *
     * @param queryVector unit-length query embedding (ignored in keyword mode, may then be null)
     */
    default List<SearchHit> search(SearchMode mode, String queryText, float[] queryVector, int k) {
        Checks.notNull(mode, "mode");
        Checks.positive(k, "k");
        if (mode == SearchMode.KEYWORD && (queryText == null || queryText.isBlank())) {
            return List.of();
        }
        return search(SearchRequest.builder()
                .mode(mode)
                .text(queryText)
                .vector(queryVector)
                .k(k)
                .build());
    }

    /** Commits pending changes of a writable index and releases it. */
    @Override
    void close();
}
