package dev.localrag.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the CLI in-process with captured output and a controlled environment. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Path home, Path cwd, Map<String, String> env, String... args) {
        return runWithInput(home, cwd, env, "", args);
    }

    static CliRun runWithInput(Path home, Path cwd, Map<String, String> env, String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = new CliEnvironment(
                env,
                home,
                cwd,
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                new BufferedReader(new StringReader(input)),
                false);
        int code = Main.run(environment, args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out ---\n" + out + "\n--- err ---\n" + err;
    }
}
