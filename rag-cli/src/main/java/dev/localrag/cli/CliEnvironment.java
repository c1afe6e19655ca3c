package dev.localrag.cli;

import java.io.PrintWriter;
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
 */
public record CliEnvironment(Map<String, String> env, Path home, Path cwd, PrintWriter out, PrintWriter err) {

    public static CliEnvironment system() {
        return new CliEnvironment(
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                Path.of("").toAbsolutePath(),
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true));
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
