package dev.localrag.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The YAML config file as written; absent settings are null. See {@link ConfigLoader}. */
record ConfigFile(
        Index index,
        String embedder,
        Integer topK,
        Ollama ollama,
        Chunking chunking,
        Answer answer,
        Ingest ingest,
        Audit audit) {

    static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null, null);

    record Audit(String log, Long maxBytes, Integer keep) {
        static final Audit EMPTY = new Audit(null, null, null);
    }

    record Ingest(Boolean isolate, Integer parserHeapMb, Integer parseTimeoutSeconds, Integer threads) {
        static final Ingest EMPTY = new Ingest(null, null, null, null);
    }

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

    /**
     * {@code index: DIR}, or a section with the folder ({@code path}) and how a new index is built.
     */
    record Index(
            String path,
            String vectorFormat,
            Integer maxConn,
            Integer beamWidth,
            Integer oversample,
            String textAnalysis) {
        static final Index EMPTY = new Index(null, null, null, null, null, null);

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        Index {}

        /** The short form, {@code index: DIR}. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Index ofPath(String path) {
            return new Index(path, null, null, null, null, null);
        }
    }

    record Chunking(Integer maxTokens, Integer overlapTokens) {
        static final Chunking EMPTY = new Chunking(null, null);
    }

    record Answer(Integer contextTokens, Integer answerReserveTokens, Double minRelevance, Boolean condenseFollowUps) {
        static final Answer EMPTY = new Answer(null, null, null, null);
    }
}
