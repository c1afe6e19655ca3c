package dev.localrag.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Start-up phases on stderr when {@code LOCALRAG_TIMING} is set: milliseconds since the {@code rag}
 * launcher started ({@code LOCALRAG_T0}, which it sets then), else since the JVM started, at each mark, e.g. {@code rag search}'s
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
        Instant started = launcherStart(environment.env().get("LOCALRAG_T0"))
                .orElseGet(() -> Instant.ofEpochMilli(
                        ManagementFactory.getRuntimeMXBean().getStartTime()));
        PhaseTimer timer = new PhaseTimer(environment.err(), started);
        timer.mark("command started");
        return timer;
    }

    /**
     * When the launcher started, from the epoch nanoseconds it passes ({@code date +%s%N}); the
     * process start time the JDK reports is off by up to a second (the boot time it adds is in
     * whole seconds).
     */
    static Optional<Instant> launcherStart(String epochNanos) {
        if (epochNanos == null || !epochNanos.matches("[0-9]{10,19}")) {
            return Optional.empty();
        }
        long ns = Long.parseLong(epochNanos);
        return Optional.of(Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L));
    }

    void mark(String phase) {
        if (err != null) {
            long ms = Duration.between(start, Instant.now()).toMillis();
            err.println(String.format(Locale.ROOT, "[timing] %6d ms  %s", ms, phase));
            err.flush();
        }
    }
}
