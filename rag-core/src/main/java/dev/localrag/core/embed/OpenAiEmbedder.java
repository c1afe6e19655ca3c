package dev.localrag.core.embed;

import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.localrag.core.Internal;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.OpenAiTarget;
import dev.localrag.core.ollama.ModelServerErrors;
import java.net.URI;
import java.util.List;

/**
 * Embeddings from an OpenAI-compatible server ({@code POST /v1/embeddings}): vLLM, LM Studio,
 * llama.cpp's server, Ollama's {@code /v1}, or a hosted API. Spec: {@code openai:MODEL@URL}; the API
 * key comes from {@code OPENAI_API_KEY} when set.
 */
@Internal
public final class OpenAiEmbedder extends LangChain4jEmbedder {

    private final URI baseUrl;
    private final String modelName;

    private OpenAiEmbedder(EmbedderSpec spec, OpenAiTarget target, OllamaSettings settings, String apiKey) {
        super(
                spec,
                OpenAiEmbeddingModel.builder()
                        .baseUrl(target.baseUrl().toString())
                        .modelName(target.model())
                        .apiKey(apiKey)
                        .customHeaders(settings.headers())
                        .timeout(settings.timeout())
                        .maxRetries(settings.maxRetries())
                        .maxSegmentsPerBatch(settings.embedBatchSize())
                        .build(),
                "");
        this.baseUrl = target.baseUrl();
        this.modelName = target.model();
    }

    public static OpenAiEmbedder create(EmbedderSpec spec, OllamaSettings settings, String apiKey) {
        return new OpenAiEmbedder(spec, OpenAiTarget.parse(spec.model()), settings, apiKey);
    }

    /**
     * The spec's model on another server ({@code baseUrl}, e.g. {@code http://gpu-2:8080/v1}) that
     * serves it too; the embedder keeps {@code spec}, the name the index records.
     */
    public static OpenAiEmbedder create(EmbedderSpec spec, URI baseUrl, OllamaSettings settings, String apiKey) {
        OpenAiTarget target = OpenAiTarget.parse(spec.model());
        return new OpenAiEmbedder(spec, OpenAiTarget.parse(target.model() + "@" + baseUrl), settings, apiKey);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        try {
            return super.embedDocuments(texts);
        } catch (RuntimeException e) {
            throw ModelServerErrors.forLangChain4j(ModelServerErrors.Dialect.OPENAI, baseUrl, modelName, e);
        }
    }

    @Override
    public float[] embedQuery(String query) {
        try {
            return super.embedQuery(query);
        } catch (RuntimeException e) {
            throw ModelServerErrors.forLangChain4j(ModelServerErrors.Dialect.OPENAI, baseUrl, modelName, e);
        }
    }

    @Override
    public int dimension() {
        try {
            return super.dimension();
        } catch (RuntimeException e) {
            throw ModelServerErrors.forLangChain4j(ModelServerErrors.Dialect.OPENAI, baseUrl, modelName, e);
        }
    }
}
