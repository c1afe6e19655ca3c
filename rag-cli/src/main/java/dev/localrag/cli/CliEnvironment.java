package dev.localrag.cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
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
 * @param stdin standard input as bytes, for protocols ({@code rag mcp}); the same stream as {@code in}
 * @param stdout standard output as UTF-8 bytes, for protocols ({@code rag mcp}); the same stream as
 *     {@code out}
 */
public record CliEnvironment(
        Map<String, String> env,
        Path home,
        Path cwd,
        PrintWriter out,
        PrintWriter err,
        BufferedReader in,
        boolean interactive,
        InputStream stdin,
        OutputStream stdout) {

    /** The byte streams read {@code in} and write {@code out}: for running the CLI in-process. */
    public CliEnvironment(
            Map<String, String> env,
            Path home,
            Path cwd,
            PrintWriter out,
            PrintWriter err,
            BufferedReader in,
            boolean interactive) {
        this(env, home, cwd, out, err, in, interactive, bytesOf(in), bytesTo(out));
    }

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
                System.console() != null,
                System.in,
                new FileOutputStream(FileDescriptor.out)); // not System.out, which rag mcp points at stderr
    }

    /**
     * Whether this JVM's standard input and output are a terminal. JDK 22+ has a console also when
     * they are redirected, so it is asked; on JDK 21 a console means a terminal.
     */
    public static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
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

    /** The UTF-8 bytes of what {@code reader} reads. */
    private static InputStream bytesOf(Reader reader) {
        return new InputStream() {
            private final char[] chars = new char[4096];
            private ByteBuffer pending = ByteBuffer.allocate(0);
            private char highSurrogate;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (!pending.hasRemaining()) {
                    int start = 0;
                    if (highSurrogate != 0) {
                        chars[start++] = highSurrogate;
                        highSurrogate = 0;
                    }
                    int n = reader.read(chars, start, chars.length - start);
                    if (n < 0 && start == 0) {
                        return -1;
                    }
                    int end = start + Math.max(n, 0);
                    if (n > 0 && Character.isHighSurrogate(chars[end - 1])) {
                        highSurrogate = chars[--end]; // encode a pair together, never half of it
                    }
                    pending = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars, 0, end));
                }
                int k = Math.min(len, pending.remaining());
                pending.get(b, off, k);
                return k;
            }
        };
    }

    /** Writes UTF-8 bytes to {@code writer}, a flushed piece at a time (whole characters, as protocols flush). */
    private static OutputStream bytesTo(Writer writer) {
        return new OutputStream() {
            private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                buffer.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                buffer.write(b, off, len);
            }

            @Override
            public synchronized void flush() throws IOException {
                writer.write(buffer.toString(StandardCharsets.UTF_8));
                buffer.reset();
                writer.flush();
            }
        };
    }
}
