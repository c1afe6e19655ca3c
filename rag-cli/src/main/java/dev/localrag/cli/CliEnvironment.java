package dev.localrag.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI may touch of the outside world, passed in so tests can run it in-process.
 *
 * @param env environment variables
 * @param home the user's home directory
 * @param cwd the working directory, for showing paths relative to it
 * @param out standard output
 * @param err standard error
 * @param in standard input
 * @param interactive whether stdin and stdout are a terminal (enables Ctrl-C handling in chat)
 */
public record CliEnvironment(
        Map<String, String> env,
        Path home,
        Path cwd,
        PrintWriter out,
        PrintWriter err,
        BufferedReader in,
        boolean interactive) {

    /** No input: for commands that read none. */
    public CliEnvironment(Map<String, String> env, Path home, Path cwd, PrintWriter out, PrintWriter err) {
        this(env, home, cwd, out, err, new BufferedReader(new StringReader("")), false);
    }

    public static CliEnvironment system() {
        return new CliEnvironment(
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                Path.of("").toAbsolutePath(),
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.console() != null);
    }

    /** {@code id} relative to the working directory when it is below it, else as it is. */
    public String display(String id) {
        try {
            Path p = Path.of(id);
            if (p.isAbsolute() && p.startsWith(cwd)) {
                return cwd.relativize(p).toString();
            }
        } catch (RuntimeException ignored) {
            // not a path (a URI, say): show it as it is
        }
        return id;
    }
}
