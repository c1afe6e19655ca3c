package dev.localrag.core.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.index.IndexLocation;
import dev.localrag.core.index.OpenSearchSettings;
import dev.localrag.core.ollama.OllamaHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Resolves {@link RagConfig}: defaults, then the YAML config file, then the environment. Flags are
 * applied on top by the caller.
 *
 * <p>Config file: {@code $LOCALRAG_CONFIG}, else {@code $XDG_CONFIG_HOME/localrag/config.yaml}, else
 * {@code ~/.config/localrag/config.yaml}; a missing default file means "all defaults". Default
 * index: {@code $XDG_DATA_HOME/localrag/index}, else {@code ~/.local/share/localrag/index}.
 * Environment: {@code OLLAMA_HOST}, {@code LOCALRAG_INDEX}.
 */
public final class ConfigLoader {

    public static final String CONFIG_ENV = "LOCALRAG_CONFIG";
    public static final String INDEX_ENV = "LOCALRAG_INDEX";
    public static final String OLLAMA_HOST_ENV = "OLLAMA_HOST";
    public static final String AUTO_PULL_ENV = "LOCALRAG_AUTO_PULL";
    public static final String OPENSEARCH_USERNAME_ENV = "LOCALRAG_OPENSEARCH_USERNAME";
    public static final String OPENSEARCH_PASSWORD_ENV = "LOCALRAG_OPENSEARCH_PASSWORD";
    public static final String OPENSEARCH_API_KEY_ENV = "LOCALRAG_OPENSEARCH_API_KEY";
    public static final String OPENSEARCH_CA_FILE_ENV = "LOCALRAG_OPENSEARCH_CA_FILE";

    private static final java.util.regex.Pattern ENV_REF =
            java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** Made when a config file is read: without one, a command does not pay for Jackson's set-up. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    }

    private final Map<String, String> env;
    private final Path home;

    public ConfigLoader(Map<String, String> env, Path userHome) {
        this.env = Map.copyOf(env);
        this.home = userHome;
    }

    /** The loader for this process: real environment and home directory. */
    public static ConfigLoader system() {
        return new ConfigLoader(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    public Path defaultConfigFile() {
        String explicit = env.get(CONFIG_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return expand(explicit);
        }
        return xdg("XDG_CONFIG_HOME", ".config").resolve("localrag").resolve("config.yaml");
    }

    public Path defaultIndexDir() {
        return xdg("XDG_DATA_HOME", ".local/share").resolve("localrag").resolve("index");
    }

    /**
     * @param configFile a file named on the command line (must exist), or null for the default
     *     location (may be absent)
     */
    public RagConfig load(Path configFile) {
        Path file = configFile != null ? configFile : defaultConfigFile();
        boolean explicit = configFile != null || env.containsKey(CONFIG_ENV);
        ConfigFile parsed = ConfigFile.EMPTY;
        if (Files.isRegularFile(file)) {
            parsed = read(file);
        } else if (explicit) {
            throw new ConfigurationException(
                    "Config file " + file + " does not exist. Create it or drop --config / " + CONFIG_ENV + ".");
        }
        return resolve(parsed, file);
    }

    private RagConfig resolve(ConfigFile file, Path source) {
        ConfigFile.Ollama o = file.ollama() != null ? file.ollama() : ConfigFile.Ollama.EMPTY;
        ConfigFile.Chunking c = file.chunking() != null ? file.chunking() : ConfigFile.Chunking.EMPTY;
        ConfigFile.Answer a = file.answer() != null ? file.answer() : ConfigFile.Answer.EMPTY;

        ConfigFile.Index i = file.index() != null ? file.index() : ConfigFile.Index.EMPTY;

        IndexLocation index = IndexLocation.folder(defaultIndexDir());
        if (i.path() != null && !i.path().isBlank()) {
            index = location(i.path());
        }
        if (hasEnv(INDEX_ENV)) {
            index = location(env.get(INDEX_ENV));
        }
        String host = o.host();
        if (hasEnv(OLLAMA_HOST_ENV)) {
            host = env.get(OLLAMA_HOST_ENV);
        }
        try {
            OllamaSettings.Builder b = OllamaSettings.builder()
                    .baseUrl(OllamaHost.parse(host))
                    .chatModel(orDefault(o.chatModel(), OllamaSettings.DEFAULT_CHAT_MODEL))
                    .embeddingModel(orDefault(o.embeddingModel(), OllamaSettings.DEFAULT_EMBEDDING_MODEL));
            if (o.timeoutSeconds() != null) b.timeout(Duration.ofSeconds(o.timeoutSeconds()));
            if (o.probeTimeoutMillis() != null) b.probeTimeout(Duration.ofMillis(o.probeTimeoutMillis()));
            if (o.connectTimeoutMillis() != null) b.connectTimeout(Duration.ofMillis(o.connectTimeoutMillis()));
            if (o.firstTokenTimeoutSeconds() != null) {
                b.firstTokenTimeout(Duration.ofSeconds(o.firstTokenTimeoutSeconds()));
            }
            if (o.idleTimeoutSeconds() != null) b.idleTimeout(Duration.ofSeconds(o.idleTimeoutSeconds()));
            if (o.headers() != null) b.headers(expandHeaders(o.headers()));
            if (o.keepAlive() != null) b.keepAlive(o.keepAlive());
            if (o.numCtx() != null) b.numCtx(o.numCtx());
            if (o.maxInFlight() != null) b.maxInFlight(o.maxInFlight());
            if (o.maxRetries() != null) b.maxRetries(o.maxRetries());
            if (o.retryBaseDelayMillis() != null) b.retryBaseDelay(Duration.ofMillis(o.retryBaseDelayMillis()));
            if (o.autoPull() != null) b.autoPull(o.autoPull());
            if (o.embedBatchSize() != null) b.embedBatchSize(o.embedBatchSize());
            if (o.embedBatchTokens() != null) b.embedBatchTokens(o.embedBatchTokens());
            if (o.hosts() != null) {
                b.embeddingHosts(o.hosts().stream().map(OllamaHost::parse).toList());
            }
            if (hasEnv(AUTO_PULL_ENV))
                b.autoPull(Boolean.parseBoolean(env.get(AUTO_PULL_ENV).strip()));
            OllamaSettings ollama = b.build();
            ChunkingSettings chunking = new ChunkingSettings(
                    c.maxTokens() != null ? c.maxTokens() : ChunkingSettings.DEFAULT.maxTokens(),
                    c.overlapTokens() != null ? c.overlapTokens() : ChunkingSettings.DEFAULT.overlapTokens());
            AnswerSettings d = AnswerSettings.DEFAULT;
            AnswerSettings answer = new AnswerSettings(
                    a.contextTokens() != null ? a.contextTokens() : d.contextTokens(),
                    a.answerReserveTokens() != null ? a.answerReserveTokens() : d.answerReserveTokens(),
                    a.minRelevance() != null ? a.minRelevance() : d.minRelevance(),
                    a.condenseFollowUps() != null ? a.condenseFollowUps() : d.condenseFollowUps());
            int topK = file.topK() != null ? file.topK() : RagConfig.DEFAULT_TOP_K;
            IndexSettings indexSettings = IndexSettings.parse(
                    IndexSettings.Keys.CONFIG,
                    i.vectorFormat(),
                    i.maxConn(),
                    i.beamWidth(),
                    i.oversample(),
                    i.textAnalysis());
            ConfigFile.Ingest g = file.ingest() != null ? file.ingest() : ConfigFile.Ingest.EMPTY;
            IngestSettings di = IngestSettings.DEFAULT;
            IngestSettings ingest = new IngestSettings(
                    g.isolate() != null ? g.isolate() : di.isolate(),
                    g.parserHeapMb() != null ? g.parserHeapMb() : di.parserHeapMegabytes(),
                    g.parseTimeoutSeconds() != null ? Duration.ofSeconds(g.parseTimeoutSeconds()) : di.parseTimeout(),
                    g.threads() != null ? g.threads() : di.parseThreads(),
                    g.ocr() != null ? IngestSettings.Ocr.parse(g.ocr(), "ingest.ocr") : di.ocr(),
                    g.ocrLanguages() != null ? g.ocrLanguages() : di.ocrLanguages(),
                    g.ocrPageTimeoutSeconds() != null
                            ? Duration.ofSeconds(g.ocrPageTimeoutSeconds())
                            : di.ocrPageTimeout());
            ConfigFile.Audit au = file.audit() != null ? file.audit() : ConfigFile.Audit.EMPTY;
            AuditSettings da = AuditSettings.DEFAULT;
            AuditSettings audit = new AuditSettings(
                    au.log() == null || au.log().isBlank() ? null : expand(au.log()),
                    au.maxBytes() != null ? au.maxBytes() : da.maxBytes(),
                    au.keep() != null ? au.keep() : da.keep());
            return new RagConfig(
                    index,
                    file.embedder(),
                    ollama,
                    topK,
                    chunking,
                    answer,
                    indexSettings,
                    ingest,
                    openSearch(i.opensearch() != null ? i.opensearch() : ConfigFile.OpenSearch.EMPTY),
                    audit);
        } catch (IllegalArgumentException | ConfigurationException e) {
            throw new ConfigurationException(
                    "Invalid configuration (" + source + " or environment): " + e.getMessage(), e);
        }
    }

    /**
     * Header values may name environment variables as {@code ${NAME}} so secrets stay out of the
     * file; an unset variable is an error naming the header.
     */
    private Map<String, String> expandHeaders(Map<String, String> headers) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (value == null) {
                throw new IllegalArgumentException("ollama.headers." + name + " has no value");
            }
            out.put(name, expandEnv(value, "ollama.headers." + name));
        });
        return out;
    }

    /** {@code value} with each {@code ${NAME}} replaced by that environment variable; null stays null. */
    private String expandEnv(String value, String key) {
        if (value == null) {
            return null;
        }
        java.util.regex.Matcher m = ENV_REF.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException(
                        key + " uses ${" + m.group(1) + "}, but that environment variable is not set");
            }
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static ConfigFile read(Path file) {
        try {
            // empty, or only comments (as `rag config init` writes it): no settings
            byte[] bytes = Files.readAllBytes(file); // AccessDeniedException, not a vague one
            com.fasterxml.jackson.databind.JsonNode tree = Yaml.MAPPER.readTree(bytes);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return ConfigFile.EMPTY;
            }
            ConfigFile parsed = Yaml.MAPPER.readValue(bytes, ConfigFile.class); // again: errors name lines
            return parsed != null ? parsed : ConfigFile.EMPTY;
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds().stream()
                    .map(Object::toString)
                    .sorted()
                    .toList();
            String key = e.getPropertyName();
            String suggestion = ConfigProblems.nearest(key, known);
            throw new ConfigurationException("Config file " + file + ", line "
                    + ConfigProblems.lineOf(file, key, e.getLocation()) + ": unknown setting '" + path(e) + "'."
                    + (suggestion == null ? "" : " Did you mean '" + suggestion + "'?") + " Known settings here: "
                    + String.join(", ", known) + ".");
        } catch (JsonMappingException e) {
            String key = e.getPath().isEmpty() ? null : e.getPath().getLast().getFieldName();
            throw new ConfigurationException("Config file " + file + ", line "
                    + ConfigProblems.lineOf(file, key, e.getLocation()) + ": bad value for '" + path(e) + "': "
                    + ConfigProblems.expected(e) + ".");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            java.util.regex.Matcher dup =
                    java.util.regex.Pattern.compile("Duplicate field '([^']*)'").matcher(message);
            if (dup.find()) {
                throw new ConfigurationException("Config file " + file + ", line "
                        + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": setting '" + dup.group(1)
                        + "' appears twice; keep one.");
            }
            throw new ConfigurationException("Config file " + file + ", line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": not valid YAML: "
                    + message.lines().findFirst().orElse(message) + ".");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ConfigurationException("Config file " + file + " cannot be read: permission denied.", e);
        } catch (IOException e) {
            throw new ConfigurationException("Config file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private boolean hasEnv(String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    private Path xdg(String variable, String fallback) {
        String v = env.get(variable);
        return v != null && !v.isBlank() ? Path.of(v) : home.resolve(fallback);
    }

    /** A folder ({@code ~} expanded) or an {@code opensearch://} URL. */
    public IndexLocation location(String text) {
        IndexLocation parsed = IndexLocation.parse(text);
        return parsed instanceof IndexLocation.Folder ? IndexLocation.folder(expand(text)) : parsed;
    }

    private OpenSearchSettings openSearch(ConfigFile.OpenSearch o) {
        OpenSearchSettings d = OpenSearchSettings.DEFAULT;
        String username = hasEnv(OPENSEARCH_USERNAME_ENV)
                ? env.get(OPENSEARCH_USERNAME_ENV)
                : expandEnv(o.username(), "index.opensearch.username");
        String password = hasEnv(OPENSEARCH_PASSWORD_ENV)
                ? env.get(OPENSEARCH_PASSWORD_ENV)
                : expandEnv(o.password(), "index.opensearch.password");
        String apiKey = hasEnv(OPENSEARCH_API_KEY_ENV)
                ? env.get(OPENSEARCH_API_KEY_ENV)
                : expandEnv(o.apiKey(), "index.opensearch.apiKey");
        String caFile = hasEnv(OPENSEARCH_CA_FILE_ENV) ? env.get(OPENSEARCH_CA_FILE_ENV) : o.caFile();
        return new OpenSearchSettings(
                username,
                password,
                apiKey,
                caFile == null || caFile.isBlank() ? null : expand(caFile),
                o.shards() != null ? o.shards() : d.shards(),
                o.replicas() != null ? o.replicas() : d.replicas(),
                o.timeoutSeconds() != null ? Duration.ofSeconds(o.timeoutSeconds()) : d.timeout());
    }

    private Path expand(String path) {
        String p = path.strip();
        if (p.equals("~")) {
            return home;
        }
        if (p.startsWith("~/")) {
            return home.resolve(p.substring(2));
        }
        return Path.of(p);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
