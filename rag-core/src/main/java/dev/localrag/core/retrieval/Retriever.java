package dev.localrag.core.retrieval;

import dev.localrag.core.Checks;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SearchRequest;
import java.util.List;

/** Finds the chunks that best match a question. */
public final class Retriever {

    private final LuceneVectorIndex index;
    private final Embedder embedder;

    public Retriever(LuceneVectorIndex index, Embedder embedder) {
        this.index = Checks.notNull(index, "index");
        this.embedder = Checks.notNull(embedder, "embedder");
        if (!embedder.spec().equals(index.manifest().embedder())) {
            throw new IllegalArgumentException("embedder " + embedder.spec() + " does not match index embedder "
                    + index.manifest().embedder());
        }
    }

    public List<SearchHit> retrieve(String query, SearchMode mode, int k) {
        Checks.notBlank(query, "query");
        float[] vector = mode == SearchMode.KEYWORD ? null : embedder.embedQuery(query);
        return index.search(mode, query, vector, k);
    }

    /**
     * Retrieves with every option of a {@link SearchRequest} (filter, min-score, per-document cap,
     * fusion): {@code request}'s text and vector are set from {@code query}.
     */
    public List<SearchHit> retrieve(String query, SearchRequest.Builder request) {
        Checks.notBlank(query, "query");
        Checks.notNull(request, "request");
        SearchMode mode = request.mode();
        return index.search(request.text(query)
                .vector(mode == SearchMode.KEYWORD ? null : embedder.embedQuery(query))
                .build());
    }
}
