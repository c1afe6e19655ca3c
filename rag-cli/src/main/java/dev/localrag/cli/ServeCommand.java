package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.RagConfig;
import dev.localrag.server.LocalRagServer;
import dev.localrag.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the REST API (and an OpenAI-compatible chat endpoint) over one or more indexes.",
            "The index from --index / config is the collection 'default'; add more with --collection NAME=DIR"
                    + " (created empty when absent). Stop with Ctrl-C: running answers are cancelled and the indexes"
                    + " closed cleanly.",
            "MCP clients (IDE agents) connect to /mcp (Streamable HTTP) with the same API keys.",
            "API keys: $LOCALRAG_API_KEYS (comma-separated) or --api-key-file; required when --host is not"
                    + " loopback. API reference: GET /openapi.json."
        })
final class ServeCommand implements Callable<Integer> {

    static final String API_KEYS_ENV = "LOCALRAG_API_KEYS";

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free).")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host = ServerConfig.DEFAULT_HOST;

    @Mixin
    CollectionOptions collections;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            description = "Ollama chat model for every collection (default: from config).")
    String model;

    @Option(
            names = "--api-key-file",
            paramLabel = "FILE",
            description = "File with accepted API keys, one per line ('#' starts a comment).")
    Path apiKeyFile;

    @Option(
            names = "--allow-no-auth",
            description = "Serve without API keys even on a non-loopback address (only on a trusted network).")
    boolean allowNoAuth;

    @Option(
            names = "--cors-origin",
            paramLabel = "ORIGIN",
            description = "Allow browser requests from ORIGIN, e.g. http://localhost:3000 (repeatable; default: CORS"
                    + " off).")
    List<String> corsOrigins = new ArrayList<>();

    @Option(
            names = "--max-body-kb",
            paramLabel = "KB",
            description = "Largest JSON request body (default: ${DEFAULT-VALUE}).")
    long maxBodyKb = 1024;

    @Option(
            names = "--max-upload-mb",
            paramLabel = "MB",
            description = "Largest upload request (default: ${DEFAULT-VALUE}).")
    long maxUploadMb = 50;

    @Option(
            names = "--upload-types",
            paramLabel = "EXT",
            split = ",",
            description = "Allowed upload file extensions (default: md, txt, pdf, docx, html and other text formats).")
    Set<String> uploadTypes;

    @Option(
            names = "--chat-concurrency",
            paramLabel = "N",
            description = "Answers generated at once (default: ${DEFAULT-VALUE}).")
    int chatConcurrency = 1;

    @Option(
            names = "--chat-queue",
            paramLabel = "N",
            description = "Answers that may wait for the model; more get HTTP 429 (default: ${DEFAULT-VALUE}).")
    int chatQueue = 16;

    @Option(
            names = "--rerank",
            paramLabel = "SPEC",
            description = "A reranker that search requests may turn on with \"rerank\": true: MODEL@URL of a"
                    + " /v1/rerank server (llama.cpp, vLLM, TEI, Infinity), e.g."
                    + " bge-reranker-v2-m3@http://localhost:8080, or onnx:PATH (a cross-encoder ONNX model with"
                    + " its tokenizer.json). Off by default.")
    String rerank;

    @Option(
            names = "--watch",
            paramLabel = "NAME=DIR",
            description = "Keep collection NAME in step with folder DIR while serving (repeatable): a first sync, then"
                    + " each change as it happens, as rag ingest --watch; each sync is an ingest job of the"
                    + " collection, audited as 'watch'.")
    List<String> watch = new ArrayList<>();

    @Override
    public Integer call() {
        CliEnvironment environment = parent.environment();
        PrintWriter out = environment.out();
        PrintWriter err = environment.err();
        RagConfig base = common.resolve(environment);
        if (model != null) {
            base = base.withOllama(base.ollama().withChatModel(model));
        }
        ServerConfig.Builder builder = ServerConfig.builder()
                .host(host)
                .port(port)
                .apiKeys(apiKeys(environment))
                .allowNoAuth(allowNoAuth)
                .corsOrigins(corsOrigins)
                .maxBodyBytes(maxBodyKb * 1024)
                .maxUploadBytes(maxUploadMb * 1024 * 1024)
                .chatConcurrency(chatConcurrency)
                .chatQueue(chatQueue)
                .shutdownGrace(Duration.ofSeconds(10))
                .reranker(rerank);
        if (uploadTypes != null) {
            builder.uploadTypes(uploadTypes);
        }
        for (String spec : watch) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new ConfigurationException("--watch " + spec + " must look like NAME=DIR, e.g. default=docs");
            }
            Path folder =
                    environment.cwd().resolve(spec.substring(eq + 1).strip()).normalize();
            if (!Files.isDirectory(folder)) {
                throw new ConfigurationException("--watch " + spec + ": " + folder + " is not a folder");
            }
            builder.watch(spec.substring(0, eq).strip(), folder);
        }
        ServerConfig config = collections.apply(builder, base).build();
        boolean interrupted = false;
        try (LocalRagServer server = LocalRagServer.create(config, err::println).start()) {
            Thread hook = new Thread(server::close, "localrag-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("LocalRAG serving " + config.collections().keySet() + " (default: "
                    + config.defaultCollection() + ") on " + server.baseUrl()
                    + (config.authRequired() ? " (API key required)" : " (no API key)")
                    + ". Web UI: " + server.baseUrl() + "/, API: " + server.baseUrl()
                    + "/openapi.json, MCP: " + server.baseUrl() + LocalRagServer.MCP_PATH + ". Ctrl-C stops.");
            out.flush();
            try {
                server.awaitStop();
            } catch (InterruptedException e) {
                interrupted = true; // a stop request like Ctrl-C: close the server below, then keep the flag
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already stopping: the hook is running and closes the server
                }
            }
        }
        out.println("LocalRAG stopped.");
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }

    private Set<String> apiKeys(CliEnvironment environment) {
        Set<String> keys = new LinkedHashSet<>();
        String fromEnv = environment.env().get(API_KEYS_ENV);
        if (fromEnv != null) {
            for (String k : fromEnv.split(",")) {
                if (!k.isBlank()) {
                    keys.add(k.strip());
                }
            }
        }
        if (apiKeyFile != null) {
            try {
                for (String line : Files.readAllLines(apiKeyFile)) {
                    String k = line.strip();
                    if (!k.isEmpty() && !k.startsWith("#")) {
                        keys.add(k);
                    }
                }
            } catch (IOException e) {
                throw new ConfigurationException("--api-key-file " + apiKeyFile + " cannot be read: " + e.getMessage());
            }
            if (keys.isEmpty()) {
                throw new ConfigurationException("--api-key-file " + apiKeyFile + " holds no key.");
            }
        }
        return keys;
    }
}
