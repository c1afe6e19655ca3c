package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import picocli.CommandLine;

/** The composition root of the {@code rag} command. The only place that calls System.exit. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // Lucene and others log through java.util.logging: send it to SLF4J, which shows errors only.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        System.exit(run(CliEnvironment.system(), args));
    }

    /** Runs {@code rag ARGS} and returns its exit code. */
    public static int run(CliEnvironment environment, String... args) {
        CommandLine cli = RagCommand.commandLine(environment, args)
                .setOut(environment.out())
                .setErr(environment.err())
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("rag " + commandLine.getCommandName() + ": " + message(e));
                    if (!(e instanceof ConfigurationException)
                            && environment.env().containsKey("LOCALRAG_DEBUG")) {
                        e.printStackTrace(commandLine.getErr());
                    }
                    return ExitCodes.forException(e);
                });
        cli.setExitCodeExceptionMapper(ExitCodes::forException);
        cli.setParameterExceptionHandler((e, arguments) -> {
            // the message and where to look, not 40 lines of usage that scroll it away
            CommandLine command = e.getCommandLine();
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, command.getErr());
            command.getErr().println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE;
        });
        try {
            return cli.execute(args);
        } finally {
            environment.out().flush();
            environment.err().flush();
        }
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Maps exceptions to exit codes: configuration problems are usage errors, the rest failures. */
    static final class ExitCodes {
        private ExitCodes() {}

        static int forException(Throwable e) {
            if (e instanceof ConfigurationException || e instanceof CommandLine.ParameterException) {
                return ExitCode.USAGE;
            }
            return ExitCode.FAILURE;
        }
    }
}
