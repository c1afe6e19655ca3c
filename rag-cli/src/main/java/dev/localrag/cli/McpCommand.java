package dev.localrag.cli;

import dev.localrag.core.config.RagConfig;
import dev.localrag.server.LocalRagMcp;
import dev.localrag.server.ServerConfig;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "mcp",
        mixinStandardHelpOptions = true,
        description = {
            "Serve your indexes to AI assistants, agents and IDEs over the Model Context Protocol (MCP) on"
                    + " stdin/stdout: what a desktop MCP client launches. Nothing but protocol messages is written to"
                    + " stdout; notices go to stderr.",
            "Tools: search, ask, list_documents, get_passage (and ingest_path with --allow-root); every indexed"
                    + " document is a resource localrag://COLLECTION/DOCUMENT_ID. Indexes are opened read-only on first"
                    + " use (unless --allow-root), so rag ingest can run meanwhile. Stops when the client closes stdin.",
            "Over HTTP, rag serve offers the same at /mcp."
        })
final class McpCommand implements Callable<Integer> {

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    @Mixin
    CollectionOptions collections;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            description = "Chat model the ask tool answers with (default: from config).")
    String model;

    @Override
    public Integer call() throws InterruptedException {
        CliEnvironment environment = parent.environment();
        RagConfig base = common.resolve(environment);
        if (model != null) {
            base = base.withOllama(base.ollama().withChatModel(model));
        }
        ServerConfig config = collections.apply(ServerConfig.builder(), base).build();
        PrintStream stdout = System.out;
        System.setOut(System.err); // whatever a library prints must not break the protocol on stdout
        try {
            environment
                    .err()
                    .println("LocalRAG MCP server on stdio: collections "
                            + config.collections().keySet()
                            + " (default: " + config.defaultCollection() + ")"
                            + (config.ingestRoots().isEmpty() ? "" : "; ingest_path under " + config.ingestRoots())
                            + ".");
            LocalRagMcp.serveStdio(config, environment.stdin(), environment.stdout(), environment.err()::println);
        } finally {
            System.setOut(stdout);
        }
        return ExitCode.OK;
    }
}
