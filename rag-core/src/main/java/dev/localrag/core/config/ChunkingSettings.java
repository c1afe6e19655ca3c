package dev.localrag.core.config;

import dev.localrag.core.Checks;

/**
 * Chunk size and overlap, in tokens of the embedder's tokenizer.
 *
 * @param maxTokens largest chunk
 * @param overlapTokens tokens repeated between neighbouring chunks
 */
public record ChunkingSettings(int maxTokens, int overlapTokens) {

    public static final ChunkingSettings DEFAULT = new ChunkingSettings(400, 50);

    public ChunkingSettings {
        Checks.between(maxTokens, 32, 8192, "chunking.maxTokens");
        Checks.between(overlapTokens, 0, maxTokens / 2, "chunking.overlapTokens");
    }
}
