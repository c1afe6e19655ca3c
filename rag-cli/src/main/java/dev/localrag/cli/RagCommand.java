package dev.localrag.cli;

import java.util.List;
import java.util.Map;
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

    /**
     * The subcommands, in the order {@code rag --help} lists them, by their {@code @Command} names.
     * Not in the annotation: picocli reads every registered subcommand's annotations when the command
     * line is made, so {@link #commandLine} registers only the one a call names.
     */
    static final List<Map.Entry<String, Class<?>>> SUBCOMMANDS = List.of(
            Map.entry("ingest", IngestCommand.class),
            Map.entry("search", SearchCommand.class),
            Map.entry("ask", AskCommand.class),
            Map.entry("chat", ChatCommand.class),
            Map.entry("eval", EvalCommand.class),
            Map.entry("serve", ServeCommand.class),
            Map.entry("mcp", McpCommand.class),
            Map.entry("doctor", DoctorCommand.class),
            Map.entry("status", StatusCommand.class),
            Map.entry("documents", DocumentsCommand.class),
            Map.entry("config", ConfigCommand.class),
            Map.entry("completion", CompletionCommand.class),
            Map.entry("help", CommandLine.HelpCommand.class));

    /** Subcommands that look at the whole command tree: registered with all the others. */
    private static final List<String> NEED_ALL = List.of("completion", "help");

    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    RagCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /**
     * The command line for {@code args}: with only the subcommand {@code args[0]} names when it names
     * one (it parses, runs and prints its help and errors alone), none for {@code rag --version}, else
     * all of them (for {@code rag --help}, {@code rag help}, completion scripts and the suggestions for
     * a mistyped name).
     */
    static CommandLine commandLine(CliEnvironment environment, String... args) {
        CommandLine cli = new CommandLine(new RagCommand(environment));
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return cli; // prints the version only
        }
        String named = args.length > 0 && !NEED_ALL.contains(args[0]) ? args[0] : null;
        for (Map.Entry<String, Class<?>> subcommand : SUBCOMMANDS) {
            if (named == null || subcommand.getKey().equals(named)) {
                cli.addSubcommand(subcommand.getKey(), subcommand.getValue());
            }
        }
        if (named != null && cli.getSubcommands().isEmpty()) { // not a subcommand: an option or a typo
            return commandLine(environment);
        }
        return cli;
    }

    CliEnvironment environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(environment.out());
    }
}
