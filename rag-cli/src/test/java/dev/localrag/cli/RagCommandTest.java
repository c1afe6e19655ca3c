package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `rag` registers the subcommand a call names alone, and all of them when it names none. */
class RagCommandTest {

    @Test
    void eachSubcommandIsListedUnderItsCommandName() {
        for (Map.Entry<String, Class<?>> subcommand : RagCommand.SUBCOMMANDS) {
            Command command = subcommand.getValue().getAnnotation(Command.class);
            assertThat(command.name()).as(subcommand.getValue().getName()).isEqualTo(subcommand.getKey());
        }
    }

    @Test
    void aCallOfOneSubcommandRegistersOnlyThatOne() {
        CommandLine cli = RagCommand.commandLine(environment(), "search", "--mode", "keyword", "ollama port");

        assertThat(cli.getSubcommands()).containsOnlyKeys("search");
        Object search = cli.getSubcommands().get("search").getCommand();
        assertThat(search).isInstanceOf(SearchCommand.class);
    }

    @Test
    void theVersionAloneRegistersNone() {
        assertThat(RagCommand.commandLine(environment(), "--version").getSubcommands())
                .isEmpty();
        assertThat(RagCommand.commandLine(environment(), "-V").getSubcommands()).isEmpty();
        assertThat(RagCommand.commandLine(environment(), "-V", "search").getSubcommands())
                .hasSize(13);
    }

    @Test
    void helpCompletionOptionsAndUnknownNamesRegisterAllInHelpOrder() {
        String[] all = RagCommand.SUBCOMMANDS.stream().map(Map.Entry::getKey).toArray(String[]::new);

        for (String[] args : new String[][] {{}, {"--help"}, {"help", "search"}, {"completion", "bash"}, {"serch"}}) {
            CommandLine cli = RagCommand.commandLine(environment(), args);

            assertThat(cli.getSubcommands().keySet()).as(String.join(" ", args)).containsExactly(all);
        }
    }

    private static CliEnvironment environment() {
        PrintWriter sink = new PrintWriter(new StringWriter());
        return new CliEnvironment(Map.of(), Path.of("/home/u"), Path.of("/home/u"), sink, sink);
    }
}
