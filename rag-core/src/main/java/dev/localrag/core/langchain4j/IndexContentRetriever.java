package dev.localrag.core.langchain4j;

import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.Checks;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SearchRequest;
import dev.localrag.core.index.VectorIndex;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A LangChain4j {@link ContentRetriever} over a LocalRAG index, with the index's own retrieval:
 * hybrid (vector + BM25) by default, metadata filters applied inside the search, min-score and a
 * per-document cap. Plug it into {@code AiServices.builder(...).contentRetriever(...)} or a {@code
 * DefaultRetrievalAugmentor}.
 *
 * <p>Each {@link Content} carries the chunk as a {@code TextSegment} (metadata: the document's
 * {@code path}, {@code title}, {@code mime_type} and extra metadata) and the {@link
 * ContentMetadata#SCORE} and {@link ContentMetadata#EMBEDDING_ID} ({@code path#ordinal}).
 */
public final class IndexContentRetriever implements ContentRetriever {

    private final VectorIndex index;
    private final Embedder embedder;
    private final SearchRequest template;
    private final Function<Query, Filter> dynamicFilter;

    private IndexContentRetriever(Builder b) {
        this.index = Checks.notNull(b.index, "index");
        this.embedder = Checks.notNull(b.embedder, "embedder");
        if (!embedder.spec().equals(index.manifest().embedder())) {
            throw new IllegalArgumentException("embedder " + embedder.spec() + " does not match the embedder of index "
                    + index.location() + ": " + index.manifest().embedder());
        }
        this.dynamicFilter = b.dynamicFilter;
        // a request like every later one, so bad settings fail here rather than at the first query
        this.template = SearchRequest.builder()
                .mode(Checks.notNull(b.mode, "mode"))
                .text("?")
                .vector(new float[index.manifest().dimension()])
                .k(b.maxResults)
                .filter(b.filter)
                .minScore(b.minScore)
                .maxChunksPerDocument(b.maxChunksPerDocument)
                .fusion(b.fusion)
                .vectorWeight(b.vectorWeight)
                .candidates(b.candidates)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Content> retrieve(Query query) {
        Checks.notNull(query, "query");
        String text = Checks.notBlank(query.text(), "query.text");
        SearchRequest.Builder request = template.toBuilder()
                .text(text)
                .vector(template.mode() == SearchMode.KEYWORD ? null : embedder.embedQuery(text));
        if (dynamicFilter != null) {
            request.filter(dynamicFilter.apply(query));
        }
        return index.search(request.build()).stream()
                .map(IndexContentRetriever::content)
                .toList();
    }

    private static Content content(SearchHit hit) {
        return Content.from(
                IndexEmbeddingStore.segment(hit),
                Map.of(
                        ContentMetadata.SCORE,
                        hit.score(),
                        ContentMetadata.EMBEDDING_ID,
                        IndexEmbeddingStore.embeddingId(hit)));
    }

    /** Defaults: hybrid (z-score fusion, vector weight 0.6), 5 results, no filter, min-score 0, no per-document cap. */
    public static final class Builder {
        private VectorIndex index;
        private Embedder embedder;
        private SearchMode mode = SearchMode.HYBRID;
        private int maxResults = 5;
        private Filter filter;
        private Function<Query, Filter> dynamicFilter;
        private double minScore;
        private int maxChunksPerDocument;
        private SearchRequest.Fusion fusion = SearchRequest.Fusion.ZSCORE;
        private double vectorWeight = Double.NaN; // the index's calibrated weight, else 0.6
        private int candidates;

        private Builder() {}

        public Builder index(VectorIndex index) {
            this.index = index;
            return this;
        }

        /** Embeds queries; must be the embedder the index was built with. */
        public Builder embedder(Embedder embedder) {
            this.embedder = embedder;
            return this;
        }

        public Builder mode(SearchMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder maxResults(int maxResults) {
            this.maxResults = maxResults;
            return this;
        }

        public Builder filter(Filter filter) {
            this.filter = filter;
            return this;
        }

        /** A filter chosen per query (e.g. from the user in the query's metadata); wins over {@link #filter}. */
        public Builder dynamicFilter(Function<Query, Filter> dynamicFilter) {
            this.dynamicFilter = dynamicFilter;
            return this;
        }

        public Builder minScore(double minScore) {
            this.minScore = minScore;
            return this;
        }

        public Builder maxChunksPerDocument(int maxChunksPerDocument) {
            this.maxChunksPerDocument = maxChunksPerDocument;
            return this;
        }

        public Builder fusion(SearchRequest.Fusion fusion) {
            this.fusion = fusion;
            return this;
        }

        public Builder vectorWeight(double vectorWeight) {
            this.vectorWeight = vectorWeight;
            return this;
        }

        /** HNSW candidates per vector search; 0 (default) = {@link SearchRequest#DEFAULT_CANDIDATES}. */
        public Builder candidates(int candidates) {
            this.candidates = candidates;
            return this;
        }

        public IndexContentRetriever build() {
            return new IndexContentRetriever(this);
        }
    }
}
