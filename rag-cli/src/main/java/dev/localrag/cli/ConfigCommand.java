package dev.localrag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.RagConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = {"Write a commented config file, or print the settings in effect."},
        subcommands = {ConfigCommand.Init.class, ConfigCommand.Show.class})
final class ConfigCommand implements Runnable {

    @ParentCommand
    RagCommand parent;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(parent.environment().out());
    }

    /** The commented default config that {@code config init} writes. */
    static String template() {
        try (InputStream in = ConfigCommand.class.getResourceAsStream("config-template.yaml")) {
            if (in == null) {
                throw new IllegalStateException("config-template.yaml is missing from the rag-cli jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = {
                "Write the default config file with every setting, commented out (to --config FILE, else"
                        + " $LOCALRAG_CONFIG, else ~/.config/localrag/config.yaml). Refuses to overwrite"
                        + " without --force."
            })
    static final class Init implements Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Option(names = "--config", paramLabel = "FILE", description = "Where to write it.")
        Path file;

        @Option(names = "--force", description = "Overwrite an existing file.")
        boolean force;

        @Override
        public Integer call() {
            CliEnvironment environment = config.parent.environment();
            Path target = file != null
                    ? environment.cwd().resolve(file)
                    : new ConfigLoader(environment.env(), environment.home()).defaultConfigFile();
            if (Files.exists(target) && !force) {
                throw new ConfigurationException(
                        target + " exists already; `rag config show` prints it in effect, --force overwrites it.");
            }
            try {
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                Files.writeString(target, template(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
            }
            environment.out().println("Wrote " + target + " (every setting commented out: uncomment what you change).");
            return ExitCode.OK;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Print the settings in effect (defaults, config file, environment and these flags), as YAML"
                        + " with the config file's names; header values are masked."
            })
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Mixin
        CommonOptions common;

        @Option(names = "--json", description = "Print the same as JSON.")
        boolean json;

        @Override
        public Integer call() {
            CliEnvironment environment = config.parent.environment();
            RagConfig c = common.resolve(environment);
            Map<String, Object> effective = effective(c);
            if (json) {
                environment.out().println(Json.write(effective));
                return ExitCode.OK;
            }
            Path source = common.config != null
                    ? common.config
                    : new ConfigLoader(environment.env(), environment.home()).defaultConfigFile();
            environment.out().println("# config file: " + source + (Files.isRegularFile(source) ? "" : " (absent)"));
            environment.out().print(yaml(effective));
            return ExitCode.OK;
        }
    }

    /** The effective settings under the config file's names. */
    static Map<String, Object> effective(RagConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("path", c.index().toString());
        index.put("vectorFormat", c.indexSettings().newVectorFormat().encoding().id());
        index.put("maxConn", c.indexSettings().newVectorFormat().maxConn());
        index.put("beamWidth", c.indexSettings().newVectorFormat().beamWidth());
        index.put("oversample", c.indexSettings().newVectorFormat().oversample());
        index.put("textAnalysis", c.indexSettings().newTextAnalysis().id());
        m.put("index", index);
        m.put("embedder", c.embedderSpec().orElse(null)); // null: chosen when an index is created
        m.put("topK", c.topK());
        OllamaSettings o = c.ollama();
        Map<String, Object> ollama = new LinkedHashMap<>();
        ollama.put("host", o.baseUrl().toString());
        ollama.put("chatModel", o.chatModel().toString());
        ollama.put("embeddingModel", o.embeddingModel());
        Map<String, String> headers = new TreeMap<>();
        o.headers().keySet().forEach(h -> headers.put(h, "***"));
        ollama.put("headers", headers);
        ollama.put("connectTimeoutMillis", o.connectTimeout().toMillis());
        ollama.put("firstTokenTimeoutSeconds", o.firstTokenTimeout().toSeconds());
        ollama.put("idleTimeoutSeconds", o.idleTimeout().toSeconds());
        ollama.put("timeoutSeconds", o.timeout().toSeconds());
        ollama.put("probeTimeoutMillis", o.probeTimeout().toMillis());
        ollama.put("keepAlive", o.keepAlive());
        ollama.put("numCtx", new TreeMap<>(o.numCtx()));
        ollama.put("maxInFlight", o.maxInFlight());
        ollama.put("maxRetries", o.maxRetries());
        ollama.put("retryBaseDelayMillis", o.retryBaseDelay().toMillis());
        ollama.put("autoPull", o.autoPull());
        ollama.put("embedBatchSize", o.embedBatchSize());
        ollama.put("embedBatchTokens", o.embedBatchTokens());
        m.put("ollama", ollama);
        m.put(
                "chunking",
                Map.of(
                        "maxTokens",
                        c.chunking().maxTokens(),
                        "overlapTokens",
                        c.chunking().overlapTokens()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("contextTokens", c.answer().contextTokens());
        answer.put("answerReserveTokens", c.answer().answerReserveTokens());
        answer.put("minRelevance", c.answer().minRelevance());
        answer.put("condenseFollowUps", c.answer().condenseFollowUps());
        m.put("answer", answer);
        Map<String, Object> ingest = new LinkedHashMap<>();
        ingest.put("isolate", c.ingest().isolate());
        ingest.put("parserHeapMb", c.ingest().parserHeapMegabytes());
        ingest.put("parseTimeoutSeconds", c.ingest().parseTimeout().toSeconds());
        ingest.put("threads", c.ingest().parseThreads());
        m.put("ingest", ingest);
        return m;
    }

    private static String yaml(Map<String, Object> settings) {
        try {
            return new ObjectMapper(new YAMLFactory()
                            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
                    .writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the settings as YAML", e);
        }
    }
}
