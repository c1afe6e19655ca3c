package dev.localrag.ingest;

import dev.localrag.core.Checks;
import dev.localrag.core.Internal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs another parser with a hard time limit and a memory guard, so one hostile or broken file
 * cannot hang the run or take the JVM down.
 *
 * <ul>
 *   <li>Each parse runs in its own daemon thread; after {@code timeout} the caller gets a {@link
 *       ParseFailedException} and the run goes on. The thread is interrupted and abandoned (Tika's
 *       parsers cannot be stopped safely), and counted in {@link #abandoned()}.
 *   <li>Parses share a memory budget (half the heap): each takes a share proportional to the file's
 *       size, so big files parse one at a time instead of all at once. An {@link OutOfMemoryError}
 *       or {@link StackOverflowError} inside a parse fails that file only.
 * </ul>
 */
@Internal
public final class GuardedParser implements DocumentParser {

    /** Parsed text and Tika's structures take several times the file's bytes. */
    private static final long MEMORY_PER_FILE_BYTE = 8;

    private final DocumentParser delegate;
    private final Duration timeout;
    private final Semaphore memory;
    private final int memoryPermits;
    private final AtomicInteger abandoned = new AtomicInteger();

    public GuardedParser(DocumentParser delegate, Duration timeout) {
        this(delegate, timeout, Runtime.getRuntime().maxMemory() / 2);
    }

    GuardedParser(DocumentParser delegate, Duration timeout, long memoryBudgetBytes) {
        this.delegate = Checks.notNull(delegate, "delegate");
        this.timeout = Checks.notNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, but was " + timeout);
        }
        this.memoryPermits = (int) Math.max(1, Math.min(Integer.MAX_VALUE, memoryBudgetBytes >> 20));
        this.memory = new Semaphore(memoryPermits, true);
    }

    /** Parses that timed out and whose threads were left behind. */
    public int abandoned() {
        return abandoned.get();
    }

    @Override
    public ParsedFile parse(Path file) {
        int permits = permits(file);
        try {
            memory.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParseFailedException("interrupted while waiting to parse", e);
        }
        try {
            return parseWithTimeout(file);
        } finally {
            memory.release(permits);
        }
    }

    private ParsedFile parseWithTimeout(Path file) {
        FutureTask<ParsedFile> task = new FutureTask<>(() -> delegate.parse(file));
        Thread worker =
                Thread.ofPlatform().daemon().name("parse " + file.getFileName()).unstarted(task);
        worker.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            abandoned.incrementAndGet();
            throw new ParseFailedException(
                    "parsing took longer than " + seconds(timeout)
                            + "; skipped (raise --parse-timeout if the file is just big)",
                    e);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new ParseFailedException("interrupted while parsing", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            switch (cause) {
                case ParseFailedException pfe -> throw pfe;
                case OutOfMemoryError oom ->
                    throw new ParseFailedException(
                            "ran out of memory while parsing (file too large or hostile); skipped", oom);
                case StackOverflowError soe ->
                    throw new ParseFailedException("too deeply nested to parse; skipped", soe);
                default -> {
                    String what = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                    throw new ParseFailedException("cannot parse: " + what, cause);
                }
            }
        }
    }

    private int permits(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = 0;
        }
        long bytes = size * MEMORY_PER_FILE_BYTE;
        return (int) Math.max(1, Math.min(memoryPermits, bytes >> 20));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
