package dev.localrag.core.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.localrag.core.testing.HashingEmbedder;
import java.util.List;

/** The project's fast deterministic test embedder as a LangChain4j {@link EmbeddingModel}. */
final class HashingEmbeddingModel implements EmbeddingModel {

    private final HashingEmbedder embedder;

    HashingEmbeddingModel(HashingEmbedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        return Response.from(segments.stream()
                .map(s -> Embedding.from(embedder.vector(s.text())))
                .toList());
    }

    @Override
    public int dimension() {
        return embedder.dimension();
    }
}
