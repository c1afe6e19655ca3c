package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.IngestSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexStats;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.ingest.FolderWatcher;
import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestOptions;
import dev.localrag.ingest.IngestPlan;
import dev.localrag.ingest.IngestReport;
import dev.localrag.ingest.SourceWalker;
import dev.localrag.runtime.AuditLog;
import dev.localrag.runtime.RagRuntime;
import dev.localrag.runtime.WatchedIngest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Index files and folders: parse each file (PDF, DOCX, PPTX, XLSX, HTML, Markdown, text, mail, archives,"
                    + " ...), cut it into chunks along its headings, embed them and write them to the index.",
            "Running it again is incremental: unchanged files are skipped without reading them, changed files are"
                    + " re-indexed (re-embedding only chunks whose text changed), moved files keep their vectors,"
                    + " and files deleted from an ingested folder are removed from the index (--no-prune keeps them).",
            "Hidden files and folders are skipped; a .ragignore file (gitignore syntax) in any folder excludes more.",
            "Exit code 3: some files were skipped (each is listed with its reason)."
        })
final class IngestCommand implements Callable<Integer> {

    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)i?b?\\s*");

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    @Mixin
    IndexOptions indexOptions;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders to index.")
    List<Path> paths;

    @Option(names = "--verbose", description = "Print a line for every file.")
    boolean verbose;

    @Option(names = "--quiet", description = "No progress and no per-file lines; only the summary.")
    boolean quiet;

    @Option(
            names = "--json",
            description = "Print a machine-readable summary: {indexed, chunks, unchanged, skipped, added, updated,"
                    + " moved, deleted, chunksEmbedded, chunksReused, seconds, dryRun, stoppedEarly, timings,"
                    + " failures:[{path, reason}], warnings, index:{path, documents, chunks, embedder, vectorFormat:"
                    + "{encoding, maxConn, beamWidth, oversample}, textAnalysis}}.")
    boolean json;

    @Option(
            names = "--dry-run",
            description = "Print the plan (add / update / move / delete / unchanged); change nothing.")
    boolean dryRun;

    @Option(names = "--no-prune", description = "Keep documents of files deleted from the ingested folders.")
    boolean noPrune;

    @Option(names = "--fail-fast", description = "Stop at the first file that cannot be indexed.")
    boolean failFast;

    @Option(
            names = "--include",
            paramLabel = "GLOB",
            description = "Only files matching a glob (repeatable). Without '/' it matches the file name at any depth"
                    + " ('*.md'); with '/' the path below the folder ('docs/**/*.md').")
    List<String> include = new ArrayList<>();

    @Option(
            names = "--exclude",
            paramLabel = "GLOB",
            description = "Leave out files and folders matching a glob (repeatable), as --include.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--hidden", description = "Also index hidden files and folders (names starting with a dot).")
    boolean hidden;

    @Option(
            names = "--max-file-size",
            paramLabel = "SIZE",
            defaultValue = "100MB",
            description = "Skip (and report) larger files: bytes or 10KB, 5MB, 1GB (default: ${DEFAULT-VALUE}).")
    String maxFileSize;

    @Option(
            names = "--parse-timeout",
            paramLabel = "SECONDS",
            description = "Give up on a file whose parsing takes longer (default: the config's"
                    + " ingest.parseTimeoutSeconds, else 120).")
    Integer parseTimeoutSeconds;

    @Option(
            names = "--no-isolate",
            description = "Parse inside this process (guarded by a timeout and a memory budget) instead of in"
                    + " separate parser processes, which a hostile file can kill without harming the ingest"
                    + " (config: ingest.isolate: false).")
    boolean noIsolate;

    @Option(
            names = "--parser-heap",
            paramLabel = "MB",
            description = "Heap of each parser process in megabytes (default: the config's ingest.parserHeapMb,"
                    + " else 512).")
    Integer parserHeapMegabytes;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Parser threads (default: the number of CPUs, at least 2).")
    Integer threads;

    @Option(
            names = "--watch",
            description = "After the first sync keep running and apply changes to the folders as they happen"
                    + " (debounced; an overflow of the OS event queue or a folder that comes back re-scans). Each"
                    + " sync prints the usual summary (--json: one JSON line). Ctrl-C commits and exits with 130.")
    boolean watch;

    /** --json output; field names are a public contract. */
    record JsonFailure(String path, String reason) {}

    record JsonTimings(double plan, double parse, double chunk, double embed, double index) {}

    record JsonVectorFormat(String encoding, int maxConn, int beamWidth, int oversample) {
        static JsonVectorFormat of(VectorFormat f) {
            return new JsonVectorFormat(f.encoding().id(), f.maxConn(), f.beamWidth(), f.oversample());
        }
    }

    record JsonIndex(
            String path,
            int documents,
            int chunks,
            String embedder,
            JsonVectorFormat vectorFormat,
            String textAnalysis) {}

    record JsonSummary(
            int indexed,
            int chunks,
            int unchanged,
            int skipped,
            int added,
            int updated,
            int moved,
            int deleted,
            int chunksEmbedded,
            int chunksReused,
            double seconds,
            boolean dryRun,
            boolean stoppedEarly,
            JsonTimings timings,
            List<JsonFailure> failures,
            List<JsonFailure> warnings,
            JsonIndex index) {}

    @Override
    public Integer call() {
        CliEnvironment environment = parent.environment();
        PrintWriter out = environment.out();
        PrintWriter err = environment.err();
        if (parseTimeoutSeconds != null && parseTimeoutSeconds <= 0) {
            throw new ConfigurationException("--parse-timeout must be > 0 seconds, but was " + parseTimeoutSeconds);
        }
        if (parserHeapMegabytes != null && (parserHeapMegabytes < 64 || parserHeapMegabytes > 65536)) {
            throw new ConfigurationException(
                    "--parser-heap must be between 64 and 65536 MB, but was " + parserHeapMegabytes);
        }
        if (threads != null && (threads < 1 || threads > 256)) {
            throw new ConfigurationException("--threads must be between 1 and 256, but was " + threads);
        }
        SourceWalker.Rules rules = new SourceWalker.Rules(include, exclude, hidden, parseSize(maxFileSize));
        SourceWalker.requireExisting(paths); // before the embedder is chosen or a model loads
        RagConfig config = withIngestFlags(indexOptions.apply(common.resolve(environment)));
        config.embedderSpec()
                .map(dev.localrag.core.embed.EmbedderSpec::parse)
                .filter(s -> s.provider() == dev.localrag.core.embed.EmbedderSpec.Provider.OLLAMA)
                .ifPresent(s -> ModelPuller.pullIfMissing(config.ollama(), s.model(), err));
        IngestOptions options = IngestOptions.builder()
                .selection(rules)
                .prune(!noPrune)
                .dryRun(dryRun)
                .failFast(failFast)
                .build();
        IngestProgress.Mode mode = quiet || json || dryRun
                ? IngestProgress.Mode.QUIET
                : interactive(environment) ? IngestProgress.Mode.BAR : IngestProgress.Mode.LINES;
        if (watch && dryRun) {
            throw new ConfigurationException("--watch cannot be combined with --dry-run (a dry run changes nothing)");
        }
        if (!dryRun) { // an ingest that cannot be recorded is refused before any model loads; the runtime's
            // ingestAudited checks again right before it writes, as it does for every caller
            new AuditLog(config.auditLog(), config.audit()).checkWritable();
        }
        if (watch) {
            return watch(config, options, mode, environment);
        }
        try (RagRuntime rag = RagRuntime.builder(config).notices(err::println).build();
                IngestProgress progress = new IngestProgress(
                        mode, err, System.err, verbose, environment::display, Duration.ofSeconds(10), true)) {
            VectorIndex index = rag.index();
            IngestReport report =
                    dryRun ? rag.ingest(paths, options, progress) : audited(rag, paths, options, progress);
            IngestPlan plan = progress.plan();
            progress.close();
            IndexStats stats = index.stats();
            IndexManifest manifest = index.manifest();
            if (json) {
                out.println(Json.write(summary(report, config, stats, manifest, environment)));
            } else if (dryRun) {
                printPlan(out, plan, environment);
            } else {
                printSummary(out, report, config, stats, manifest, environment);
            }
            out.flush();
            return report.hasFailures() ? ExitCode.PARTIAL : ExitCode.OK;
        }
    }

    /**
     * {@code --watch}: the first sync, then one sync per batch of changes, each printed like an
     * ingest; Ctrl-C (or a kill) stops the running sync between files, commits, closes the index
     * and says what it holds.
     */
    private int watch(RagConfig config, IngestOptions options, IngestProgress.Mode mode, CliEnvironment environment) {
        PrintWriter out = environment.out();
        PrintWriter err = environment.err();
        AtomicReference<WatchedIngest> running = new AtomicReference<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    interrupted.set(true); // before the watch is read: one of the two threads sees the other
                    WatchedIngest w = running.get();
                    if (w != null) {
                        w.close();
                    }
                    try { // the JVM exits when the hooks are done: let the index close first
                        finished.await(2, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "localrag-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String stored;
            try (RagRuntime rag =
                    RagRuntime.builder(config).notices(err::println).build()) {
                WatchPrinter printer = new WatchPrinter(rag, config, mode, environment);
                try (WatchedIngest watched = WatchedIngest.builder(rag, paths)
                        .options(options)
                        .action("rag ingest --watch")
                        .listener(printer)
                        .build()) {
                    running.set(watched);
                    if (interrupted.get()) { // Ctrl-C while the model loaded
                        watched.close();
                    }
                    watched.run();
                }
                IndexStats stats = rag.index().stats();
                stored = String.format(
                        Locale.ROOT,
                        "Stopped watching. Index %s holds %d documents, %d chunks, all committed; changes from now on"
                                + " are picked up by the next ingest.",
                        config.index(),
                        stats.documents(),
                        stats.chunks());
            }
            err.println();
            err.println(stored);
            err.flush();
            return ExitCode.INTERRUPTED;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waited for the index to close
            }
        }
    }

    /** Prints each sync of a watch like an ingest (only syncs that changed or skipped something). */
    private final class WatchPrinter implements WatchedIngest.Listener {
        private final RagRuntime rag;
        private final RagConfig config;
        private final IngestProgress.Mode mode;
        private final CliEnvironment environment;
        private IngestProgress progress;

        WatchPrinter(RagRuntime rag, RagConfig config, IngestProgress.Mode mode, CliEnvironment environment) {
            this.rag = rag;
            this.config = config;
            this.mode = mode;
            this.environment = environment;
        }

        @Override
        public IngestListener progress(FolderWatcher.Batch batch) {
            progress = new IngestProgress(
                    mode, environment.err(), System.err, verbose, environment::display, Duration.ofSeconds(10), false);
            return progress;
        }

        @Override
        public void synced(FolderWatcher.Batch batch, IngestReport report) {
            progress.close();
            boolean first = batch.rescan().equals(WatchedIngest.FIRST_SYNC);
            boolean changed = report.added() + report.updated() + report.moved() + report.deleted() > 0
                    || report.hasFailures()
                    || !report.warnings().isEmpty();
            PrintWriter out = environment.out();
            if (report.stoppedEarly() && !failFast) {
                return; // Ctrl-C cut it short: the closing line says what is stored
            }
            if (first || changed) {
                IndexStats stats = rag.index().stats();
                IndexManifest manifest = rag.index().manifest();
                if (json) {
                    out.println(Json.write(summary(report, config, stats, manifest, environment)));
                } else {
                    if (!first) {
                        out.println(header(batch));
                    }
                    printSummary(out, report, config, stats, manifest, environment);
                }
            }
            if (first && !json) {
                out.println("Watching " + folders(batch) + " for changes. Ctrl-C stops.");
            }
            out.flush();
        }

        @Override
        public void failed(FolderWatcher.Batch batch, RuntimeException e) {
            progress.close();
            PrintWriter err = environment.err();
            err.println(header(batch) + ": the sync failed: " + Main.message(e)
                    + " (the next change retries; the index keeps its last commit)");
            err.flush();
        }

        @Override
        public void gone(Path folder) {
            PrintWriter err = environment.err();
            err.println(time() + " " + environment.display(folder.toString())
                    + " is gone; its documents stay in the index until it comes back (then it is re-scanned).");
            err.flush();
        }

        private String header(FolderWatcher.Batch batch) {
            return time() + " changes in " + folders(batch)
                    + (batch.rescan().isEmpty() ? "" : " (" + batch.rescan() + ": re-scanned)");
        }

        private String folders(FolderWatcher.Batch batch) {
            return String.join(
                    ", ",
                    batch.folders().stream()
                            .map(f -> environment.display(f.toString()))
                            .toList());
        }

        private static String time() {
            return java.time.LocalTime.now()
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .toString();
        }
    }

    /** The ingest, recorded in the index's audit log (refused when the log cannot be written). */
    private static IngestReport audited(
            RagRuntime rag, List<Path> paths, IngestOptions options, IngestProgress progress) {
        return rag.ingestAudited(AuditLog.osUser(), "local", "rag ingest", paths, options, progress, () -> false);
    }

    /** The parse flags over the config's {@code ingest} settings. */
    private RagConfig withIngestFlags(RagConfig config) {
        IngestSettings ingest = config.ingest();
        if (noIsolate) {
            ingest = ingest.withIsolate(false);
        }
        if (parserHeapMegabytes != null) {
            ingest = ingest.withParserHeapMegabytes(parserHeapMegabytes);
        }
        if (parseTimeoutSeconds != null) {
            ingest = ingest.withParseTimeout(Duration.ofSeconds(parseTimeoutSeconds));
        }
        if (threads != null) {
            ingest = ingest.withParseThreads(threads);
        }
        return config.withIngest(ingest);
    }

    private static boolean interactive(CliEnvironment environment) {
        return environment.err() != null && CliEnvironment.isTerminal();
    }

    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new ConfigurationException(
                    "--max-file-size '" + text + "' is not a size; use bytes or e.g. 500KB, 20MB, 1GB");
        }
        double n = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long bytes = (long) (n * (1L << shift));
        if (bytes <= 0) {
            throw new ConfigurationException("--max-file-size must be > 0, but was '" + text + "'");
        }
        return bytes;
    }

    private void printPlan(PrintWriter out, IngestPlan plan, CliEnvironment environment) {
        out.printf(
                Locale.ROOT,
                "Plan (dry run, nothing changed): %d to add, %d to update, %d moved, %d to delete, %d unchanged, %d"
                        + " skipped.%n",
                plan.added().size(),
                plan.updated().size(),
                plan.moved().size(),
                plan.deleted().size(),
                plan.unchanged().size(),
                plan.skipped().size());
        if (verbose) {
            plan.added().forEach(f -> out.println("  add     " + environment.display(f.toString())));
            plan.updated().forEach(f -> out.println("  update  " + environment.display(f.toString())));
            plan.moved()
                    .forEach(m -> out.println("  move    " + environment.display(m.from()) + " -> "
                            + environment.display(m.to().toString())));
            plan.deleted().forEach(id -> out.println("  delete  " + environment.display(id)));
        }
    }

    private static void printSummary(
            PrintWriter out,
            IngestReport report,
            RagConfig config,
            IndexStats stats,
            IndexManifest manifest,
            CliEnvironment environment) {
        double wall = report.elapsed().toMillis() / 1000.0;
        out.printf(
                Locale.ROOT,
                "Indexed %d %s (%d %s) in %.1f s; %d unchanged, %d skipped.%n",
                report.filesIndexed(),
                report.filesIndexed() == 1 ? "file" : "files",
                report.chunks(),
                report.chunks() == 1 ? "chunk" : "chunks",
                wall,
                report.filesUnchanged(),
                report.failures().size());
        out.printf(
                Locale.ROOT,
                "Changes: %d added, %d updated, %d moved, %d deleted; %d chunks embedded, %d reused.%s%n",
                report.added(),
                report.updated(),
                report.moved(),
                report.deleted(),
                report.chunksEmbedded(),
                report.chunksReused(),
                report.stoppedEarly() ? " Stopped at the first failure (--fail-fast)." : "");
        IngestReport.Timings t = report.timings();
        out.printf(
                Locale.ROOT,
                "Time: plan %.1f s, parse %.1f s, chunk %.1f s (summed over threads), embed %.1f s (%.0f%% of wall),"
                        + " index %.1f s.%n",
                t.plan().toMillis() / 1000.0,
                t.parse().toMillis() / 1000.0,
                t.chunk().toMillis() / 1000.0,
                t.embed().toMillis() / 1000.0,
                wall > 0 ? 100.0 * t.embed().toMillis() / 1000.0 / wall : 0,
                t.index().toMillis() / 1000.0);
        if (report.hasFailures()) {
            Map<String, String> rows = new LinkedHashMap<>();
            for (IngestReport.Failure f : report.failures()) {
                rows.put(environment.display(f.file().toString()), f.reason());
            }
            int width = Math.min(
                    60, rows.keySet().stream().mapToInt(String::length).max().orElse(4));
            out.println("Skipped files:");
            out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", "FILE", "REASON");
            rows.forEach((file, reason) -> out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", file, reason));
        }
        if (!report.warnings().isEmpty()) {
            out.println("Indexed with warnings:");
            for (IngestReport.Failure w : report.warnings()) {
                out.println("  " + environment.display(w.file().toString()) + ": " + w.reason());
            }
        }
        out.printf(
                Locale.ROOT,
                "Index %s: %d %s, %d %s, embedder %s, vectors %s, text analysis %s.%n",
                config.index(),
                stats.documents(),
                stats.documents() == 1 ? "document" : "documents",
                stats.chunks(),
                stats.chunks() == 1 ? "chunk" : "chunks",
                manifest.embedder(),
                manifest.vectorFormat(),
                manifest.textAnalysis().id());
    }

    private static JsonSummary summary(
            IngestReport r, RagConfig config, IndexStats stats, IndexManifest manifest, CliEnvironment environment) {
        IngestReport.Timings t = r.timings();
        return new JsonSummary(
                r.filesIndexed(),
                r.chunks(),
                r.filesUnchanged(),
                r.failures().size(),
                r.added(),
                r.updated(),
                r.moved(),
                r.deleted(),
                r.chunksEmbedded(),
                r.chunksReused(),
                r.elapsed().toMillis() / 1000.0,
                r.dryRun(),
                r.stoppedEarly(),
                new JsonTimings(
                        seconds(t.plan()),
                        seconds(t.parse()),
                        seconds(t.chunk()),
                        seconds(t.embed()),
                        seconds(t.index())),
                r.failures().stream()
                        .map(f -> new JsonFailure(f.file().toString(), f.reason()))
                        .toList(),
                r.warnings().stream()
                        .map(f -> new JsonFailure(f.file().toString(), f.reason()))
                        .toList(),
                new JsonIndex(
                        config.index().toString(),
                        stats.documents(),
                        stats.chunks(),
                        manifest.embedder().toString(),
                        JsonVectorFormat.of(manifest.vectorFormat()),
                        manifest.textAnalysis().id()));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
