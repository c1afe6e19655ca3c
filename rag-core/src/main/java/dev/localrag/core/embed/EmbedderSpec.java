package dev.localrag.core.embed;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.OpenAiTarget;
import java.util.Locale;

/**
 * Names an embedding model: {@code provider:model}, e.g. {@code onnx:bge-small-en-v1.5}, {@code
 * onnx:/models/e5} (a folder with model.onnx and tokenizer.json), {@code
 * ollama:qwen3-embedding:0.6b-q8_0} or {@code openai:text-embedding-3-small@https://api.openai.com/v1}
 * (everything after the first colon is the model).
 */
public record EmbedderSpec(Provider provider, String model) {

    /** Where the model runs. */
    public enum Provider {
        /** In-process ONNX model shipped in a jar (LangChain4j embeddings). */
        ONNX,
        /** An Ollama server's /api/embed. */
        OLLAMA,
        /** An OpenAI-compatible server's /v1/embeddings; the model is {@code MODEL@URL}. */
        OPENAI;

        String prefix() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final EmbedderSpec DEFAULT_ONNX = new EmbedderSpec(Provider.ONNX, "bge-small-en-v1.5");

    public EmbedderSpec {
        if (provider == null || model == null || model.isBlank()) {
            throw new IllegalArgumentException("embedder provider and model must be set");
        }
    }

    public static EmbedderSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new ConfigurationException("Embedder spec is empty. Use e.g. onnx:bge-small-en-v1.5 or "
                    + "ollama:qwen3-embedding:0.6b-q8_0.");
        }
        String s = spec.strip();
        int colon = s.indexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new ConfigurationException(
                    "Embedder spec \"" + spec
                            + "\" must look like PROVIDER:MODEL, e.g. onnx:bge-small-en-v1.5 or ollama:qwen3-embedding:0.6b-q8_0.");
        }
        String provider = s.substring(0, colon).toLowerCase(Locale.ROOT);
        for (Provider p : Provider.values()) {
            if (p.prefix().equals(provider)) {
                String model = s.substring(colon + 1);
                if (p == Provider.OPENAI) {
                    OpenAiTarget.parse(model);
                }
                return new EmbedderSpec(p, model);
            }
        }
        throw new ConfigurationException("Embedder spec \"" + spec + "\": unknown provider \"" + provider
                + "\". Known providers: onnx, ollama, openai.");
    }

    @Override
    public String toString() {
        return provider.prefix() + ":" + model;
    }
}
