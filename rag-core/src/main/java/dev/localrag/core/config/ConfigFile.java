package dev.localrag.core.config;

/** The YAML config file as written; absent settings are null. See {@link ConfigLoader}. */
record ConfigFile(String index, String embedder, Integer topK, Ollama ollama, Chunking chunking, Answer answer) {

    static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null);

    record Ollama(
            String host,
            String chatModel,
            String embeddingModel,
            Integer timeoutSeconds,
            Integer probeTimeoutMillis,
            Integer connectTimeoutMillis,
            Integer firstTokenTimeoutSeconds,
            Integer idleTimeoutSeconds,
            java.util.Map<String, String> headers,
            String keepAlive,
            java.util.Map<String, Integer> numCtx,
            Integer maxInFlight,
            Integer maxRetries,
            Integer retryBaseDelayMillis,
            Boolean autoPull,
            Integer embedBatchSize,
            Integer embedBatchTokens) {
        static final Ollama EMPTY = new Ollama(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    record Chunking(Integer maxTokens, Integer overlapTokens) {
        static final Chunking EMPTY = new Chunking(null, null);
    }

    record Answer(Integer contextTokens, Integer answerReserveTokens, Double minRelevance, Boolean condenseFollowUps) {
        static final Answer EMPTY = new Answer(null, null, null, null);
    }
}
