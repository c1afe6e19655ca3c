package dev.localrag.core.ollama;

import java.util.List;

/**
 * What {@code /api/show} says about a model.
 *
 * @param name the model
 * @param architecture {@code general.architecture}, e.g. {@code qwen3}
 * @param contextLength the context length it was trained with ({@code ARCH.context_length}), 0 when
 *     not reported
 * @param embeddingLength its hidden size ({@code ARCH.embedding_length}), which is the vector length
 *     of an embedding model; 0 when not reported
 * @param capabilities e.g. {@code completion}, {@code embedding}
 */
public record ModelInfo(
        String name, String architecture, int contextLength, int embeddingLength, List<String> capabilities) {

    public ModelInfo {
        capabilities = List.copyOf(capabilities);
    }
}
