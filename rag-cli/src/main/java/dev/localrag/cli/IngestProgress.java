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
    private long toEmbed;
    private long lastLine = System.nanoTime();
    private boolean ocrHinted;

    /** @param onInterrupt whether Ctrl-C prints {@link #interruptedLine()} (a watch says its own line) */
    IngestProgress(
            Mode mode,
            PrintWriter err,
            PrintStream terminal,
            boolean verbose,
            Function<String, String> display,
            Duration interval,
            boolean onInterrupt) {
        this.mode = mode;
        this.err = err;
        this.terminal = terminal;
        this.verbose = verbose;
        this.display = display;
        this.interval = interval;
        this.interrupted = new Thread(this::printInterrupted);
        if (onInterrupt) {
            Runtime.getRuntime().addShutdownHook(interrupted);
        }
    }

    /** Ctrl-C (or a kill) while the ingest runs: one line saying what is kept. */
    private final Thread interrupted;

    private void printInterrupted() {
        synchronized (this) {
            if (bar != null) {
                terminal.print("\r\033[K");
                terminal.flush();
            }
            err.println();
            err.println(interruptedLine());
            err.flush();
        }
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
                    .showSpeed(new java.text.DecimalFormat("0.0"))
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
            println("  indexed " + display.apply(file.toString()) + " (" + fileChunks
                    + (fileChunks == 1 ? " chunk)" : " chunks)"));
        }
        step();
    }

    @Override
    public void toEmbed(Path file, int count) {
        toEmbed += count;
    }

    @Override
    public void embedded(int count) {
        embedded += count;
        if (bar != null) {
            bar.setExtraMessage(" · " + chunkProgress());
        } else if (mode == Mode.LINES) {
            step(); // a line every interval also while one large file is embedded
        }
    }

    /** "120/4000 chunks embedded, 35.2 chunks/s, ETA 1 min 50 s" (the ETA once the rate is known). */
    private String chunkProgress() {
        double rate = rate(embedded);
        String eta = toEmbed > embedded && embedded > 0 ? ", ETA " + duration((toEmbed - embedded) / rate) : "";
        return String.format(
                Locale.ROOT,
                "%d/%d chunks embedded, %.1f chunks/s%s",
                embedded,
                Math.max(toEmbed, embedded),
                rate,
                eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + (s % 3600) / 60 + " min";
    }

    /** One line for Ctrl-C: what is stored and that a re-run continues. */
    String interruptedLine() {
        return String.format(
                Locale.ROOT,
                "Interrupted after %d of %d %s, %d chunks embedded: the files indexed up to the last commit"
                        + " and every embedded chunk are stored; run the same command again to continue (it"
                        + " embeds only the rest).",
                done,
                total,
                total == 1 ? "file" : "files",
                embedded);
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
            err.printf(
                    Locale.ROOT,
                    "  %d/%d files, %d chunks indexed; %s; %.0f s elapsed%n",
                    done,
                    total,
                    chunks,
                    chunkProgress(),
                    seconds);
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
        try {
            Runtime.getRuntime().removeShutdownHook(interrupted);
        } catch (IllegalStateException | IllegalArgumentException shuttingDownOrRemoved) {
            // the JVM is exiting (the hook runs), or close() ran before
        }
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
