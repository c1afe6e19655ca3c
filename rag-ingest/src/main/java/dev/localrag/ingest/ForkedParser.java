package dev.localrag.ingest;

import dev.localrag.core.Checks;
import dev.localrag.core.Internal;
import dev.localrag.core.LocalRagException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Parses in child JVMs, so nothing a file does to its parser (exhaust the heap, overflow the stack,
 * spin forever, crash native code) can touch the ingest: the child is killed and restarted, and the
 * file is reported. Each child has its own heap limit; the pool holds one child per parse thread.
 *
 * <p>Protocol on the child's stdin/stdout: the parent writes a path (UTF-8, length-prefixed); the
 * child answers with {@link ParseServer}'s encoding of a {@link ParsedFile} or a failure message.
 */
@Internal
public final class ForkedParser implements DocumentParser, AutoCloseable {

    private final Duration timeout;
    private final List<String> command;
    private final BlockingQueue<Child> idle;
    private final List<Child> all = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param children child JVMs (at most this many parses run at once)
     * @param heapMegabytes heap limit of each child
     * @param timeout longest parse; the child is killed after it
     */
    private final Tesseract.OcrOptions ocr;

    public ForkedParser(int children, int heapMegabytes, Duration timeout) {
        this(children, heapMegabytes, timeout, Tesseract.OcrOptions.off("not configured"));
    }

    /**
     * @param children child JVMs (at most this many parses run at once)
     * @param heapMegabytes heap limit of each child
     * @param timeout longest parse; the child is killed after it
     * @param ocr what the children do with scans
     */
    public ForkedParser(int children, int heapMegabytes, Duration timeout, Tesseract.OcrOptions ocr) {
        this.ocr = Checks.notNull(ocr, "ocr");
        Checks.between(children, 1, 64, "children");
        Checks.between(heapMegabytes, 64, 65536, "heapMegabytes");
        this.timeout = Checks.notNull(timeout, "timeout");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMegabytes + "m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                ParseServer.class.getName()));
        command.addAll(ocr.toArgs());
        this.command = List.copyOf(command);
        this.idle = new ArrayBlockingQueue<>(children);
        for (int i = 0; i < children; i++) {
            Child child = new Child();
            all.add(child);
            idle.add(child);
        }
    }

    @Override
    public ParsedFile parse(Path file) {
        if (closed) {
            throw new IllegalStateException("parser closed");
        }
        String name = file.toString();
        if (!Files.exists(Path.of(name))) {
            // a name that does not survive the round trip through a String (not valid in the file system's
            // charset) cannot be sent to the child: parse it here
            return new TikaDocumentParser(ocr).parse(file);
        }
        Child child;
        try {
            child = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParseFailedException("interrupted while waiting for a parser process", e);
        }
        try {
            return child.parse(name);
        } finally {
            idle.add(child);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Child child : all) {
            child.kill();
        }
    }

    /** One child JVM, started on first use and restarted after it is killed. */
    private final class Child {
        private Process process;
        private DataOutputStream in;
        private DataInputStream out;

        ParsedFile parse(String path) {
            ensureStarted();
            CompletableFuture<ParsedFile> answer = CompletableFuture.supplyAsync(
                    () -> exchange(path),
                    runnable -> Thread.ofPlatform().daemon().start(runnable));
            try {
                return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                kill();
                throw new ParseFailedException(
                        "parsing took longer than " + timeout.toSeconds()
                                + " s; the parser process was stopped (raise --parse-timeout if the file is just big)",
                        e);
            } catch (InterruptedException e) {
                kill();
                Thread.currentThread().interrupt();
                throw new ParseFailedException("interrupted while parsing", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof ParseFailedException pfe) {
                    throw pfe;
                }
                kill();
                throw new ParseFailedException(
                        "the parser process died (out of memory or a crash in a parser); skipped", cause);
            }
        }

        private ParsedFile exchange(String path) {
            try {
                ParseServer.writeString(in, path);
                in.flush();
                return ParseServer.readAnswer(out);
            } catch (EOFException e) {
                throw new LocalRagException("parser process ended", e);
            } catch (IOException e) {
                throw new LocalRagException("parser process failed: " + e.getMessage(), e);
            }
        }

        private synchronized void ensureStarted() {
            if (process != null && process.isAlive()) {
                return;
            }
            try {
                process = new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new LocalRagException("Cannot start a parser process: " + e.getMessage(), e);
            }
            OutputStream stdin = process.getOutputStream();
            InputStream stdout = process.getInputStream();
            in = new DataOutputStream(new java.io.BufferedOutputStream(stdin));
            out = new DataInputStream(new java.io.BufferedInputStream(stdout));
        }

        synchronized void kill() {
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process = null;
            }
        }
    }
}
