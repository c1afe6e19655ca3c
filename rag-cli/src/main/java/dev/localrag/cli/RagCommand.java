package dev.localrag.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rag}: the top-level command; the work is in its subcommands. */
@Command(
        name = "rag",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "LocalRAG: ask questions about your documents and get answers with citations you can check.",
            "Everything runs locally: documents are indexed with Lucene; answers come from Ollama when it runs,"
                    + " else you get the retrieved passages.",
            ""
        },
        subcommands = {
            IngestCommand.class,
            SearchCommand.class,
            AskCommand.class,
            ChatCommand.class,
            EvalCommand.class,
            ServeCommand.class,
            McpCommand.class,
            DoctorCommand.class,
            StatusCommand.class,
            DocumentsCommand.class,
            ConfigCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  rag ingest ~/notes                  index a folder (again: only what changed)",
            "  rag search \"ollama port\" -k 3       retrieval only",
            "  rag ask \"How do I change the port Ollama listens on?\"",
            "  rag chat                            ask, then ask follow-ups",
            "  rag eval datasets/scifact            retrieval quality on a BEIR dataset",
            "  rag serve --port 8080                REST API + OpenAI-compatible chat on 127.0.0.1",
            "  rag mcp                             your documents as tools for MCP clients (stdio)",
            "  rag doctor                          check Java, Ollama, models and the index",
            "  rag status / rag documents list     the index and what it holds",
            "",
            "Exit codes: 0 ok, 1 failure, 2 bad usage or configuration, 3 ingest skipped some files, 130 stopped by"
                    + " Ctrl-C (rag ingest --watch).",
            "Config: ~/.config/localrag/config.yaml (see README). Environment: OLLAMA_HOST, LOCALRAG_INDEX,"
                    + " LOCALRAG_CONFIG."
        })
final class RagCommand implements Runnable {

    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    RagCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    CliEnvironment environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(environment.out());
    }
}
