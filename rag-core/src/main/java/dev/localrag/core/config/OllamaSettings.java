package dev.localrag.core.config;

import dev.localrag.core.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to reach Ollama (or another model server) and how to behave towards it.
 *
 * @param baseUrl server URL, from {@code OLLAMA_HOST} as Ollama's clients read it (http or https)
 * @param chatModel model that writes answers (from an Ollama model name, or a spec {@code
 *     ollama:MODEL} / {@code openai:MODEL@URL})
 * @param embeddingModel model used when a new index is created with Ollama embeddings
 * @param timeout longest a whole request may take (a streamed answer included)
 * @param probeTimeout how long "is Ollama there?" may take before we fall back
 * @param connectTimeout longest a TCP (and TLS) connect may take
 * @param firstTokenTimeout longest from sending a request to the first token (or the whole answer
 *     of a non-streamed call, such as a batch of embeddings)
 * @param idleTimeout longest gap between two streamed tokens
 * @param headers extra HTTP headers sent with every request (e.g. {@code Authorization} for an auth
 *     proxy in front of Ollama)
 * @param keepAlive Ollama's {@code keep_alive} (e.g. {@code 5m}, {@code -1}, {@code 0}); null leaves
 *     it to the server
 * @param numCtx context length to run each model with (Ollama option {@code num_ctx}), by model name
 * @param maxInFlight requests in flight per server at once (match {@code OLLAMA_NUM_PARALLEL})
 * @param maxRetries retries after a transient failure (5xx, 429, reset, timeout before first token)
 * @param retryBaseDelay first backoff delay; doubles each retry, with full jitter
 * @param autoPull pull a missing model (with progress) instead of failing
 * @param embedBatchSize most texts in one {@code /api/embed} request
 * @param embedBatchTokens most (estimated) tokens in one {@code /api/embed} request
 */
public record OllamaSettings(
        URI baseUrl,
        ChatModelSpec chatModel,
        String embeddingModel,
        Duration timeout,
        Duration probeTimeout,
        Duration connectTimeout,
        Duration firstTokenTimeout,
        Duration idleTimeout,
        Map<String, String> headers,
        String keepAlive,
        Map<String, Integer> numCtx,
        int maxInFlight,
        int maxRetries,
        Duration retryBaseDelay,
        boolean autoPull,
        int embedBatchSize,
        int embedBatchTokens) {

    public static final String DEFAULT_CHAT_MODEL = "qwen3:4b-instruct-2507-q4_K_M";
    public static final String DEFAULT_EMBEDDING_MODEL = "qwen3-embedding:0.6b-q8_0";

    public OllamaSettings {
        Checks.notNull(baseUrl, "ollama.host");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("ollama.host must be an http or https URL, but was " + baseUrl);
        }
        Checks.notNull(chatModel, "ollama.chatModel");
        Checks.notBlank(embeddingModel, "ollama.embeddingModel");
        positive(timeout, "ollama.timeoutSeconds");
        positive(probeTimeout, "ollama.probeTimeoutMillis");
        positive(connectTimeout, "ollama.connectTimeoutMillis");
        positive(firstTokenTimeout, "ollama.firstTokenTimeoutSeconds");
        positive(idleTimeout, "ollama.idleTimeoutSeconds");
        headers = Map.copyOf(new TreeMap<>(Checks.notNull(headers, "ollama.headers")));
        headers.forEach((name, value) -> {
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("ollama.headers: \"" + name + "\" is not a valid HTTP header name");
            }
            Checks.notNull(value, "ollama.headers." + name);
        });
        if (keepAlive != null && keepAlive.isBlank()) {
            keepAlive = null;
        }
        numCtx = Map.copyOf(Checks.notNull(numCtx, "ollama.numCtx"));
        numCtx.forEach((model, n) -> Checks.between(n, 16, 1 << 22, "ollama.numCtx." + model));
        Checks.between(maxInFlight, 1, 256, "ollama.maxInFlight");
        Checks.between(maxRetries, 0, 20, "ollama.maxRetries");
        Checks.notNull(retryBaseDelay, "ollama.retryBaseDelayMillis");
        Checks.between(embedBatchSize, 1, 4096, "ollama.embedBatchSize");
        Checks.between(embedBatchTokens, 64, 1 << 24, "ollama.embedBatchTokens");
    }

    /** The settings before connection tuning existed: defaults for everything else. */
    public OllamaSettings(
            URI baseUrl, String chatModel, String embeddingModel, Duration timeout, Duration probeTimeout) {
        this(builder()
                .baseUrl(baseUrl)
                .chatModel(chatModel)
                .embeddingModel(embeddingModel)
                .timeout(timeout)
                .probeTimeout(probeTimeout)
                .build());
    }

    private OllamaSettings(OllamaSettings s) {
        this(
                s.baseUrl,
                s.chatModel,
                s.embeddingModel,
                s.timeout,
                s.probeTimeout,
                s.connectTimeout,
                s.firstTokenTimeout,
                s.idleTimeout,
                s.headers,
                s.keepAlive,
                s.numCtx,
                s.maxInFlight,
                s.maxRetries,
                s.retryBaseDelay,
                s.autoPull,
                s.embedBatchSize,
                s.embedBatchTokens);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .baseUrl(baseUrl)
                .chatModel(chatModel)
                .embeddingModel(embeddingModel)
                .timeout(timeout)
                .probeTimeout(probeTimeout)
                .connectTimeout(connectTimeout)
                .firstTokenTimeout(firstTokenTimeout)
                .idleTimeout(idleTimeout)
                .headers(headers)
                .keepAlive(keepAlive)
                .numCtx(numCtx)
                .maxInFlight(maxInFlight)
                .maxRetries(maxRetries)
                .retryBaseDelay(retryBaseDelay)
                .autoPull(autoPull)
                .embedBatchSize(embedBatchSize)
                .embedBatchTokens(embedBatchTokens);
    }

    public OllamaSettings withBaseUrl(URI url) {
        return toBuilder().baseUrl(url).build();
    }

    public OllamaSettings withChatModel(String model) {
        return toBuilder().chatModel(model).build();
    }

    public OllamaSettings withAutoPull(boolean pull) {
        return toBuilder().autoPull(pull).build();
    }

    /** Like the record's, but header values are hidden: they often hold credentials. */
    @Override
    public String toString() {
        Map<String, String> hidden = new TreeMap<>();
        headers.keySet().forEach(name -> hidden.put(name, "***"));
        return "OllamaSettings[baseUrl=" + baseUrl + ", chatModel=" + chatModel + ", embeddingModel=" + embeddingModel
                + ", timeout=" + timeout + ", probeTimeout=" + probeTimeout + ", connectTimeout=" + connectTimeout
                + ", firstTokenTimeout=" + firstTokenTimeout + ", idleTimeout=" + idleTimeout + ", headers=" + hidden
                + ", keepAlive=" + keepAlive + ", numCtx=" + numCtx + ", maxInFlight=" + maxInFlight
                + ", maxRetries=" + maxRetries + ", retryBaseDelay=" + retryBaseDelay + ", autoPull=" + autoPull
                + ", embedBatchSize=" + embedBatchSize + ", embedBatchTokens=" + embedBatchTokens + "]";
    }

    /** The configured {@code num_ctx} for {@code model}, or 0 when none is set. */
    public int numCtxFor(String model) {
        Integer n = numCtx.get(model);
        return n == null ? 0 : n;
    }

    private static void positive(Duration d, String name) {
        Checks.notNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be > 0, but was " + d);
        }
    }

    /** Builds {@link OllamaSettings}; every setting has a default. */
    public static final class Builder {
        private URI baseUrl = URI.create("http://127.0.0.1:11434");
        private ChatModelSpec chatModel = ChatModelSpec.ollama(DEFAULT_CHAT_MODEL);
        private String embeddingModel = DEFAULT_EMBEDDING_MODEL;
        private Duration timeout = Duration.ofSeconds(300);
        private Duration probeTimeout = Duration.ofMillis(1500);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration firstTokenTimeout = Duration.ofSeconds(120);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Map<String, String> headers = Map.of();
        private String keepAlive;
        private Map<String, Integer> numCtx = Map.of();
        private int maxInFlight = 2;
        private int maxRetries = 3;
        private Duration retryBaseDelay = Duration.ofMillis(500);
        private boolean autoPull;
        private int embedBatchSize = 32;
        private int embedBatchTokens = 16_384;

        private Builder() {}

        public Builder baseUrl(URI v) {
            baseUrl = v;
            return this;
        }

        /**
         * @throws dev.localrag.core.ConfigurationException when {@code spec} is not a chat model spec
         */
        public Builder chatModel(String spec) {
            chatModel = ChatModelSpec.parse(spec);
            return this;
        }

        public Builder chatModel(ChatModelSpec v) {
            chatModel = v;
            return this;
        }

        public Builder embeddingModel(String v) {
            embeddingModel = v;
            return this;
        }

        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        public Builder probeTimeout(Duration v) {
            probeTimeout = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder firstTokenTimeout(Duration v) {
            firstTokenTimeout = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        public Builder headers(Map<String, String> v) {
            headers = v;
            return this;
        }

        public Builder keepAlive(String v) {
            keepAlive = v;
            return this;
        }

        public Builder numCtx(Map<String, Integer> v) {
            numCtx = v;
            return this;
        }

        public Builder maxInFlight(int v) {
            maxInFlight = v;
            return this;
        }

        public Builder maxRetries(int v) {
            maxRetries = v;
            return this;
        }

        public Builder retryBaseDelay(Duration v) {
            retryBaseDelay = v;
            return this;
        }

        public Builder autoPull(boolean v) {
            autoPull = v;
            return this;
        }

        public Builder embedBatchSize(int v) {
            embedBatchSize = v;
            return this;
        }

        public Builder embedBatchTokens(int v) {
            embedBatchTokens = v;
            return this;
        }

        public OllamaSettings build() {
            return new OllamaSettings(
                    baseUrl,
                    chatModel,
                    embeddingModel,
                    timeout,
                    probeTimeout,
                    connectTimeout,
                    firstTokenTimeout,
                    idleTimeout,
                    headers,
                    keepAlive,
                    numCtx,
                    maxInFlight,
                    maxRetries,
                    retryBaseDelay,
                    autoPull,
                    embedBatchSize,
                    embedBatchTokens);
        }
    }
}
