package dev.localrag.server;

import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.RagConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How {@link LocalRagServer} runs. Build with {@link #builder()}; every setting has a default
 * except the collections.
 *
 * @param host address to bind
 * @param port port to bind, 0 for any free one
 * @param collections served indexes by name, each with its own configuration
 * @param defaultCollection the collection used when a request names none
 * @param apiKeys accepted bearer keys; empty means no authentication
 * @param allowNoAuth serve without keys even when bound to a non-loopback address
 * @param corsOrigins origins allowed by CORS; empty means CORS is off
 * @param maxBodyBytes largest JSON request body
 * @param maxUploadBytes largest multipart upload (whole request)
 * @param uploadTypes allowed upload file extensions, lower case without the dot
 * @param ingestRoots folders under which {@code POST /v1/ingest} may read; empty refuses all
 * @param chatConcurrency generations running at once
 * @param chatQueue generations allowed to wait for a slot; more are refused with 429
 * @param retryAfter what {@code Retry-After} says when the queue is full
 * @param shutdownGrace how long shutdown waits for requests and ingest jobs to finish
 * @param reranker {@code MODEL@URL} of the {@code /v1/rerank} server requests may ask for with
 *     {@code "rerank": true}, or null
 * @param watched folders kept in step with a collection while the server runs (live folders), by
 *     collection name
 */
public record ServerConfig(
        String host,
        int port,
        Map<String, RagConfig> collections,
        String defaultCollection,
        Set<String> apiKeys,
        boolean allowNoAuth,
        List<String> corsOrigins,
        long maxBodyBytes,
        long maxUploadBytes,
        Set<String> uploadTypes,
        List<Path> ingestRoots,
        int chatConcurrency,
        int chatQueue,
        Duration retryAfter,
        Duration shutdownGrace,
        String reranker,
        Map<String, List<Path>> watched) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_COLLECTION = "default";
    public static final Set<String> DEFAULT_UPLOAD_TYPES = Set.of(
            "txt",
            "md",
            "mdx",
            "markdown",
            "rst",
            "adoc",
            "html",
            "htm",
            "xml",
            "json",
            "csv",
            "pdf",
            "docx",
            "doc",
            "odt",
            "rtf",
            "pptx",
            "xlsx",
            "epub");
    private static final Pattern COLLECTION_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public ServerConfig {
        Checks.notBlank(host, "host");
        Checks.between(port, 0, 65535, "port");
        Checks.notEmpty(collections.keySet(), "collections");
        collections.keySet().forEach(ServerConfig::checkCollectionName);
        collections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(collections));
        if (defaultCollection == null) {
            defaultCollection = collections.keySet().iterator().next();
        }
        if (!collections.containsKey(defaultCollection)) {
            throw new ConfigurationException("default collection \"" + defaultCollection
                    + "\" is not among the served collections " + collections.keySet());
        }
        apiKeys = Set.copyOf(apiKeys);
        for (String key : apiKeys) {
            if (key.isBlank() || key.length() < 16) {
                throw new ConfigurationException("API keys must be at least 16 characters; one has " + key.length()
                        + ". Generate one with: openssl rand -hex 32");
            }
        }
        corsOrigins = List.copyOf(corsOrigins);
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 1024, but was " + maxBodyBytes);
        }
        if (maxUploadBytes < 1024) {
            throw new IllegalArgumentException("maxUploadBytes must be >= 1024, but was " + maxUploadBytes);
        }
        uploadTypes = uploadTypes.stream()
                .map(t -> t.strip().toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        ingestRoots =
                ingestRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        Checks.positive(chatConcurrency, "chatConcurrency");
        Checks.between(chatQueue, 0, 10_000, "chatQueue");
        Checks.notNull(retryAfter, "retryAfter");
        Checks.notNull(shutdownGrace, "shutdownGrace");
        Map<String, List<Path>> folders = new LinkedHashMap<>();
        for (Map.Entry<String, List<Path>> e : watched.entrySet()) {
            if (!collections.containsKey(e.getKey())) {
                throw new ConfigurationException("--watch " + e.getKey() + "=...: no collection \"" + e.getKey()
                        + "\" is served " + collections.keySet() + "; add it with --collection NAME=DIR");
            }
            folders.put(
                    e.getKey(),
                    e.getValue().stream()
                            .map(p -> p.toAbsolutePath().normalize())
                            .toList());
        }
        watched = java.util.Collections.unmodifiableMap(folders);
        if (apiKeys.isEmpty() && !allowNoAuth && !isLoopback(host)) {
            throw new ConfigurationException("Serving on " + host + " (not loopback) needs an API key: set "
                    + "LOCALRAG_API_KEYS or --api-key-file, or pass --allow-no-auth if the network is trusted.");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when clients must send {@code Authorization: Bearer KEY}. */
    public boolean authRequired() {
        return !apiKeys.isEmpty();
    }

    static void checkCollectionName(String name) {
        if (name == null || !COLLECTION_NAME.matcher(name).matches()) {
            throw new ConfigurationException("collection name \"" + name + "\" is invalid: use 1-64 lower-case"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigurationException(
                    "--host " + host + " is not an address of this machine: " + e.getMessage());
        }
    }

    /** Builds a {@link ServerConfig}; unset values take the documented defaults. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private final Map<String, RagConfig> collections = new LinkedHashMap<>();
        private String defaultCollection;
        private Set<String> apiKeys = Set.of();
        private boolean allowNoAuth;
        private List<String> corsOrigins = List.of();
        private long maxBodyBytes = 1024 * 1024;
        private long maxUploadBytes = 50L * 1024 * 1024;
        private Set<String> uploadTypes = DEFAULT_UPLOAD_TYPES;
        private List<Path> ingestRoots = List.of();
        private final Map<String, List<Path>> watched = new LinkedHashMap<>();
        private int chatConcurrency = 1;
        private int chatQueue = 16;
        private Duration retryAfter = Duration.ofSeconds(5);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private String reranker;

        private Builder() {}

        /**
         * The reranker requests may turn on ({@code "rerank": true}): {@code MODEL@URL} of a {@code
         * /v1/rerank} server or {@code onnx:PATH} ({@link dev.localrag.core.rerank.Rerankers}), or
         * null (default) for none.
         */
        public Builder reranker(String spec) {
            this.reranker = spec;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Adds a collection; the first one added is the default unless {@link #defaultCollection} says otherwise. */
        public Builder collection(String name, RagConfig config) {
            checkCollectionName(name);
            if (collections.putIfAbsent(name, Checks.notNull(config, "config")) != null) {
                throw new ConfigurationException("collection \"" + name + "\" is given twice");
            }
            return this;
        }

        public Builder defaultCollection(String name) {
            this.defaultCollection = name;
            return this;
        }

        public Builder apiKeys(Set<String> keys) {
            this.apiKeys = Checks.notNull(keys, "apiKeys");
            return this;
        }

        public Builder allowNoAuth(boolean allow) {
            this.allowNoAuth = allow;
            return this;
        }

        public Builder corsOrigins(List<String> origins) {
            this.corsOrigins = Checks.notNull(origins, "corsOrigins");
            return this;
        }

        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder maxUploadBytes(long bytes) {
            this.maxUploadBytes = bytes;
            return this;
        }

        public Builder uploadTypes(Set<String> extensions) {
            this.uploadTypes = Checks.notNull(extensions, "uploadTypes");
            return this;
        }

        public Builder ingestRoots(List<Path> roots) {
            this.ingestRoots = Checks.notNull(roots, "ingestRoots");
            return this;
        }

        public Builder chatConcurrency(int n) {
            this.chatConcurrency = n;
            return this;
        }

        public Builder chatQueue(int n) {
            this.chatQueue = n;
            return this;
        }

        public Builder retryAfter(Duration d) {
            this.retryAfter = d;
            return this;
        }

        public Builder shutdownGrace(Duration d) {
            this.shutdownGrace = d;
            return this;
        }

        /** Keeps {@code collection} in step with {@code folder} while the server runs (repeatable). */
        public Builder watch(String collection, Path folder) {
            Checks.notBlank(collection, "collection");
            Checks.notNull(folder, "folder");
            watched.computeIfAbsent(collection, k -> new java.util.ArrayList<>())
                    .add(folder);
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(
                    host,
                    port,
                    collections,
                    defaultCollection,
                    apiKeys,
                    allowNoAuth,
                    corsOrigins,
                    maxBodyBytes,
                    maxUploadBytes,
                    uploadTypes,
                    ingestRoots,
                    chatConcurrency,
                    chatQueue,
                    retryAfter,
                    shutdownGrace,
                    reranker,
                    watched);
        }
    }
}
