package dev.localrag.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Start-up phases on stderr when {@code LOCALRAG_TIMING} is set: milliseconds since the JVM
 * started (the process start time, 10 ms resolution) at each mark, e.g. {@code rag search}'s
 * "config", "index open", "retrieved", "printed". Costs nothing when off.
 */
final class PhaseTimer {

    private static final PhaseTimer OFF = new PhaseTimer(null, null);

    private final PrintWriter err;
    private final Instant start;

    private PhaseTimer(PrintWriter err, Instant start) {
        this.err = err;
        this.start = start;
    }

    static PhaseTimer of(CliEnvironment environment) {
        if (!environment.env().containsKey("LOCALRAG_TIMING")) {
            return OFF;
        }
        Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        PhaseTimer timer = new PhaseTimer(environment.err(), started);
        timer.mark("command started");
        return timer;
    }

    void mark(String phase) {
        if (err != null) {
            long ms = Duration.between(start, Instant.now()).toMillis();
            err.println(String.format(Locale.ROOT, "[timing] %6d ms  %s", ms, phase));
            err.flush();
        }
    }
}
