package dev.localrag.cli;

import dev.localrag.core.OpenedIndex;
import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.config.RagConfig;
import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestReport;
import dev.localrag.ingest.Ingestor;
import dev.localrag.ingest.TikaDocumentParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Index files and folders: parse each file (PDF, DOCX, HTML, Markdown, text, mail, ...), cut it into"
                    + " chunks, embed them and write them to the index.",
            "Running it again only re-indexes files whose content changed. Hidden files and folders are skipped."
        })
final class IngestCommand implements Callable<Integer> {

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders to index.")
    List<Path> paths;

    @Option(names = "--verbose", description = "Print a line for every file.")
    boolean verbose;

    @Override
    public Integer call() {
        CliEnvironment environment = parent.environment();
        PrintWriter out = environment.out();
        PrintWriter err = environment.err();
        RagConfig config = common.resolve(environment);
        Chunker chunker = OpenedIndex.chunker(config);
        if (config.ollama().autoPull()) {
            String model = config.embedderSpec()
                    .map(dev.localrag.core.embed.EmbedderSpec::parse)
                    .filter(s -> s.provider() == dev.localrag.core.embed.EmbedderSpec.Provider.OLLAMA)
                    .map(dev.localrag.core.embed.EmbedderSpec::model)
                    .orElse(null);
            if (model != null) {
                ModelPuller.ensure(
                        config.ollama(), new dev.localrag.core.ollama.OllamaProbe(config.ollama()).check(), model, err);
            }
        }
        try (OpenedIndex opened = OpenedIndex.forWriting(config, chunker, err::println)) {
            Ingestor ingestor = new Ingestor(opened.index(), opened.embedder(), chunker, new TikaDocumentParser());
            IngestReport report = ingestor.ingest(paths, new IngestListener() {
                @Override
                public void indexed(Path file, int chunks) {
                    if (verbose) {
                        err.println("  indexed " + environment.display(file.toString()) + " (" + chunks + " chunks)");
                    }
                }

                @Override
                public void failed(Path file, String reason) {
                    err.println("  skipped " + environment.display(file.toString()) + ": " + reason);
                }
            });
            var stats = opened.index().stats();
            out.printf(
                    Locale.ROOT,
                    "Indexed %d files (%d chunks) in %.1f s; %d unchanged, %d skipped.%n",
                    report.filesIndexed(),
                    report.chunks(),
                    report.elapsed().toMillis() / 1000.0,
                    report.filesUnchanged(),
                    report.failures().size());
            out.printf(
                    Locale.ROOT,
                    "Index %s: %d documents, %d chunks, embedder %s.%n",
                    config.indexDir(),
                    stats.documents(),
                    stats.chunks(),
                    opened.index().manifest().embedder());
            return report.hasFailures() ? ExitCode.PARTIAL : ExitCode.OK;
        }
    }
}
