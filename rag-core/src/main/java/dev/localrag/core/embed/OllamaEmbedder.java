package dev.localrag.core.embed;

import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.localrag.core.config.OllamaSettings;

/** Embeddings from an Ollama server's {@code /api/embed}, sent as input arrays (batched). */
public final class OllamaEmbedder extends LangChain4jEmbedder {

    /** Qwen3-Embedding is trained with an instruction on the query side only (model card). */
    static final String QWEN3_QUERY_PREFIX =
            "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery:";

    private OllamaEmbedder(EmbedderSpec spec, OllamaSettings settings) {
        super(
                spec,
                OllamaEmbeddingModel.builder()
                        .baseUrl(settings.baseUrl().toString())
                        .modelName(spec.model())
                        .timeout(settings.timeout())
                        .maxRetries(2)
                        .build(),
                queryPrefix(spec.model()));
    }

    public static OllamaEmbedder create(EmbedderSpec spec, OllamaSettings settings) {
        return new OllamaEmbedder(spec, settings);
    }

    static String queryPrefix(String model) {
        return model.startsWith("qwen3-embedding") ? QWEN3_QUERY_PREFIX : "";
    }
}
