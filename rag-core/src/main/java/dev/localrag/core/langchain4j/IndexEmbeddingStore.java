package dev.localrag.core.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.internal.ValidationUtils;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.Checks;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SearchRequest;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.VectorIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A LocalRAG index as a LangChain4j {@link EmbeddingStore}, so an app can use it with {@code
 * EmbeddingStoreIngestor}, {@code EmbeddingStoreContentRetriever} or {@link IndexContentRetriever}.
 *
 * <p>Each added embedding becomes a one-chunk document of the index whose id is the embedding id,
 * so {@link #remove(String)} deletes one document (milliseconds, no rebuild) and a search never
 * sees half of an {@link #addAll(List, List, List)} batch entry. Segment metadata is filterable
 * like any document metadata; its keys must not be the index's built-in keys ({@link
 * SourceDocument#BUILT_IN_KEYS}). {@link Filter}s are translated to Lucene queries and applied
 * inside the kNN search; a filter the index cannot evaluate throws, it is never ignored.
 *
 * <p>Vectors are normalised to unit length on the way in (the index compares with dot product),
 * so scores are LangChain4j's cosine relevance {@code (1 + cos) / 2}. Writes are visible to
 * searches at once; they are durable after {@link VectorIndex#commit()} or {@code close()}.
 * The store does not own the index: close the index when done.
 *
 * <p>Documents ingested by LocalRAG itself are found too: their matches have the id {@code
 * path#ordinal} and their segments carry {@code path}, {@code title} and {@code mime_type}.
 */
public final class IndexEmbeddingStore implements EmbeddingStore<TextSegment> {

    /** MIME type of entries added with a text segment. */
    static final String SEGMENT_MIME = "text/x-langchain4j-segment";
    /** MIME type of entries added without a text segment. */
    static final String EMBEDDING_ONLY_MIME = "application/x-langchain4j-embedding";

    private final VectorIndex index;

    public IndexEmbeddingStore(VectorIndex index) {
        this.index = Checks.notNull(index, "index");
    }

    @Override
    public String add(Embedding embedding) {
        String id = UUID.randomUUID().toString();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        addAll(List.of(id), List.of(Checks.notNull(embedding, "embedding")), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment textSegment) {
        String id = UUID.randomUUID().toString();
        List<TextSegment> segments = new ArrayList<>(1);
        segments.add(textSegment);
        addAll(List.of(id), List.of(Checks.notNull(embedding, "embedding")), segments);
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(Checks.notNull(embeddings, "embeddings").size());
        addAll(ids, embeddings, null);
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> embedded) {
        Checks.notNull(ids, "ids");
        Checks.notNull(embeddings, "embeddings");
        if (ids.size() != embeddings.size() || (embedded != null && embedded.size() != embeddings.size())) {
            throw new IllegalArgumentException(
                    "ids, embeddings and embedded must have the same size, but were " + ids.size() + ", "
                            + embeddings.size() + " and " + (embedded == null ? "absent" : embedded.size()));
        }
        if (ids.isEmpty()) {
            return;
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = Checks.notBlank(ids.get(i), "ids[" + i + "]");
            TextSegment segment = embedded == null ? null : embedded.get(i);
            float[] vector = unit(
                    Checks.notNull(embeddings.get(i), "embeddings[" + i + "]").vector(), i);
            SourceDocument document = new SourceDocument(
                            id, "", segment == null ? EMBEDDING_ONLY_MIME : SEGMENT_MIME, "", 0, 0)
                    .withMetadata(
                            segment == null ? Map.of() : segment.metadata().toMap());
            index.replaceDocument(document, List.of(new ChunkRecord(0, segment == null ? "" : segment.text(), vector)));
        }
        index.refresh();
    }

    // removal arguments are checked with LangChain4j's own helpers: its contract tests expect their messages

    @Override
    public void remove(String id) {
        index.deleteDocument(ValidationUtils.ensureNotBlank(id, "id"));
        index.refresh();
    }

    @Override
    public void removeAll(Collection<String> ids) {
        ValidationUtils.ensureNotEmpty(ids, "ids");
        for (String id : ids) {
            index.deleteDocument(ValidationUtils.ensureNotBlank(id, "id"));
        }
        index.refresh();
    }

    /** Removes every entry (every document) with a chunk matching {@code filter}. */
    @Override
    public void removeAll(Filter filter) {
        index.deleteMatching(ValidationUtils.ensureNotNull(filter, "filter"));
        index.refresh();
    }

    @Override
    public void removeAll() {
        index.deleteAll();
        index.refresh();
    }

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        Checks.notNull(request, "request");
        float[] query =
                unit(Checks.notNull(request.queryEmbedding(), "queryEmbedding").vector(), -1);
        List<SearchHit> hits = index.search(SearchRequest.builder()
                .mode(SearchMode.VECTOR)
                .vector(query)
                .k(request.maxResults())
                .filter(request.filter())
                .minScore(Math.max(0, request.minScore()))
                .includeVectors(true)
                .build());
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>(hits.size());
        for (SearchHit hit : hits) {
            matches.add(
                    new EmbeddingMatch<>(hit.score(), embeddingId(hit), Embedding.from(hit.vector()), segment(hit)));
        }
        return new EmbeddingSearchResult<>(matches);
    }

    static String embeddingId(SearchHit hit) {
        return isStoreEntry(hit) ? hit.documentId() : hit.documentId() + "#" + hit.ordinal();
    }

    /** The hit as a segment; null for an entry added without one. */
    static TextSegment segment(SearchHit hit) {
        if (EMBEDDING_ONLY_MIME.equals(hit.mimeType())) {
            return null;
        }
        if (isStoreEntry(hit)) {
            return TextSegment.from(hit.text(), new Metadata(hit.metadata()));
        }
        Map<String, Object> metadata = new LinkedHashMap<>(hit.metadata());
        metadata.put(SourceDocument.PATH, hit.documentId());
        if (!hit.title().isEmpty()) {
            metadata.put(SourceDocument.TITLE, hit.title());
        }
        if (!hit.mimeType().isEmpty()) {
            metadata.put(SourceDocument.MIME_TYPE, hit.mimeType());
        }
        return TextSegment.from(hit.text(), new Metadata(metadata));
    }

    private static boolean isStoreEntry(SearchHit hit) {
        return SEGMENT_MIME.equals(hit.mimeType()) || EMBEDDING_ONLY_MIME.equals(hit.mimeType());
    }

    private float[] unit(float[] vector, int i) {
        String name = i < 0 ? "queryEmbedding" : "embeddings[" + i + "]";
        int dimension = index.manifest().dimension();
        if (vector.length != dimension) {
            throw new IllegalArgumentException(
                    name + " has " + vector.length + " dimensions; index " + index.location() + " holds " + dimension
                            + "-d vectors from " + index.manifest().embedder());
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException(name + " has length " + Math.sqrt(norm) + "; it cannot be normalised");
        }
        if (Math.abs(norm - 1) < 1e-6) {
            return vector;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        float[] out = new float[vector.length];
        for (int j = 0; j < vector.length; j++) {
            out[j] = vector[j] * inv;
        }
        return out;
    }
}
