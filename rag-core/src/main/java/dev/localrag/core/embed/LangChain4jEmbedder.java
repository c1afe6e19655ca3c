package dev.localrag.core.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/** An {@link Embedder} over a LangChain4j {@link EmbeddingModel}, with the model's query instruction. */
abstract class LangChain4jEmbedder implements Embedder {

    private final EmbedderSpec spec;
    private final EmbeddingModel model;
    private final String queryPrefix;

    LangChain4jEmbedder(EmbedderSpec spec, EmbeddingModel model, String queryPrefix) {
        this.spec = spec;
        this.model = model;
        this.queryPrefix = queryPrefix;
    }

    @Override
    public EmbedderSpec spec() {
        return spec;
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<Embedding> embeddings = model.embedAll(segments).content();
        if (embeddings.size() != texts.size()) {
            throw new IllegalStateException(
                    spec + " returned " + embeddings.size() + " vectors for " + texts.size() + " texts");
        }
        List<float[]> out = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            out.add(Vectors.normalize(e.vector()));
        }
        return out;
    }

    @Override
    public float[] embedQuery(String query) {
        return Vectors.normalize(model.embed(queryPrefix + query).content().vector());
    }
}
