package dev.localrag.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print a shell completion script for rag's commands and options.",
            "  bash: source <(rag completion bash)   (or save it in /etc/bash_completion.d/rag)",
            "  zsh:  source <(rag completion zsh)    (in ~/.zshrc)"
        })
final class CompletionCommand implements Callable<Integer> {

    @ParentCommand
    RagCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    enum Shell {
        bash,
        zsh
    }

    @Override
    public Integer call() {
        String script = AutoComplete.bash("rag", spec.root().commandLine());
        if (shell == Shell.zsh) {
            // picocli's script runs in zsh through bashcompinit
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        parent.environment().out().print(script);
        return ExitCode.OK;
    }
}
