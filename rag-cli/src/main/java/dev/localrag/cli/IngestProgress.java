package dev.localrag.cli;

import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestPlan;
import dev.localrag.ingest.Tesseract;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows an ingest's progress on stderr: a progress bar (files, chunks, rate, ETA) on a terminal,
 * else a plain line every {@code interval}; nothing with {@code --quiet}. Every skipped file gets a
 * line as it happens, unless quiet.
 */
final class IngestProgress implements IngestListener, AutoCloseable {

    enum Mode {
        BAR,
        LINES,
        QUIET
    }

    private final Mode mode;
    private final PrintWriter err;
    private final PrintStream terminal;
    private final boolean verbose;
    private final Function<String, String> display;
    private final Duration interval;
    private final long start = System.nanoTime();
    private ProgressBar bar;
    private long total;
    private long done;
    private long chunks;
    private long embedded;
    private long lastLine = System.nanoTime();
    private boolean ocrHinted;

    IngestProgress(
            Mode mode,
            PrintWriter err,
            PrintStream terminal,
            boolean verbose,
            Function<String, String> display,
            Duration interval) {
        this.mode = mode;
        this.err = err;
        this.terminal = terminal;
        this.verbose = verbose;
        this.display = display;
        this.interval = interval;
    }

    private IngestPlan plan;

    /** The plan, once the ingest has worked it out. */
    IngestPlan plan() {
        return plan;
    }

    @Override
    public void planned(IngestPlan plan) {
        this.plan = plan;
        total = plan.toParse() + plan.moved().size();
        if (mode == Mode.QUIET || total == 0) {
            return;
        }
        if (mode == Mode.BAR) {
            err.flush();
            bar = new ProgressBarBuilder()
                    .setTaskName("Indexing")
                    .setInitialMax(total)
                    .setUnit(" files", 1)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(terminal))
                    .setUpdateIntervalMillis(250)
                    .showSpeed()
                    .clearDisplayOnFinish()
                    .build();
        } else {
            err.printf(
                    Locale.ROOT,
                    "Plan: %d to add, %d to update, %d moved, %d to delete, %d unchanged.%n",
                    plan.added().size(),
                    plan.updated().size(),
                    plan.moved().size(),
                    plan.deleted().size(),
                    plan.unchanged().size());
        }
    }

    @Override
    public void indexed(Path file, int fileChunks) {
        done++;
        chunks += fileChunks;
        if (verbose && mode != Mode.QUIET) {
            println("  indexed " + display.apply(file.toString()) + " (" + fileChunks + " chunks)");
        }
        step();
    }

    @Override
    public void embedded(int count) {
        embedded += count;
        if (bar != null) {
            bar.setExtraMessage(String.format(Locale.ROOT, "%d chunks, %.1f chunks/s", embedded, rate(embedded)));
        }
    }

    @Override
    public void failed(Path file, String reason) {
        if (mode != Mode.QUIET) {
            println("  skipped " + display.apply(file.toString()) + ": " + reason);
            if (!ocrHinted && reason.startsWith(Tesseract.NEEDS_OCR) && reason.contains("not installed")) {
                ocrHinted = true; // once per ingest, not once per scan
                println("  " + Tesseract.INSTALL_HINT);
            }
        }
        if (total > 0 && done < total) {
            done++;
            step();
        }
    }

    @Override
    public void warning(Path file, String message) {
        if (mode != Mode.QUIET) {
            println("  warning " + display.apply(file.toString()) + ": " + message);
        }
    }

    private void step() {
        if (bar != null) {
            bar.stepTo(Math.min(done, total));
        } else if (mode == Mode.LINES && System.nanoTime() - lastLine >= interval.toNanos()) {
            lastLine = System.nanoTime();
            double seconds = (System.nanoTime() - start) / 1e9;
            double filesPerSecond = done / Math.max(seconds, 1e-9);
            long etaSeconds = filesPerSecond > 0 ? Math.round((total - done) / filesPerSecond) : -1;
            err.printf(
                    Locale.ROOT,
                    "  %d/%d files, %d chunks (%d embedded, %.1f chunks/s), %.0f s elapsed, ETA %s%n",
                    done,
                    total,
                    chunks,
                    embedded,
                    rate(embedded),
                    seconds,
                    etaSeconds < 0 ? "?" : etaSeconds + " s");
        }
    }

    private double rate(long count) {
        return count / Math.max((System.nanoTime() - start) / 1e9, 1e-9);
    }

    private void println(String line) {
        if (bar != null) {
            // keep the bar on its own line: print above it
            terminal.print("\r\033[K");
            terminal.flush();
        }
        err.println(line);
        err.flush();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
