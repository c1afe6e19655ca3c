package dev.localrag.cli;

import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.IndexLocation;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexStats;
import dev.localrag.runtime.RagRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "The index: where it is, what it was built with (embedder, chunking, vectors, text analysis),"
                    + " documents, chunks, size on disk and when it last changed. Reads only; loads no model."
        })
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    @Option(
            names = "--json",
            description = "Print {path, documents, chunks, sizeBytes, lastIngest, embedder, dimension, chunking,"
                    + " vectorFormat:{encoding, maxConn, beamWidth, oversample}, textAnalysis}.")
    boolean json;

    /** --json output; field names are a public contract. */
    record JsonStatus(
            String path,
            int documents,
            int chunks,
            Long sizeBytes,
            String lastIngest,
            String embedder,
            int dimension,
            String chunking,
            IngestCommand.JsonVectorFormat vectorFormat,
            String textAnalysis) {}

    @Override
    public Integer call() {
        CliEnvironment environment = parent.environment();
        RagConfig config = common.resolve(environment);
        IndexStats stats;
        IndexManifest manifest;
        try (RagRuntime rag = RagRuntime.builder(config).readOnly().build()) { // loads no model
            stats = rag.index().stats();
            manifest = rag.index().manifest();
        }
        // size and last ingest are read from a local index's files; a cluster reports them in `rag doctor`
        Path dir = config.index() instanceof IndexLocation.Folder folder ? folder.dir() : null;
        Long size = dir == null ? null : DoctorCommand.sizeOnDisk(dir);
        Instant last = dir == null ? null : lastCommit(dir);
        JsonStatus status = new JsonStatus(
                config.index().toString(),
                stats.documents(),
                stats.chunks(),
                size,
                last == null ? null : last.toString(),
                manifest.embedder().toString(),
                manifest.dimension(),
                manifest.chunking(),
                IngestCommand.JsonVectorFormat.of(manifest.vectorFormat()),
                manifest.textAnalysis().id());
        PrintWriter out = environment.out();
        if (json) {
            out.println(Json.write(status));
            return ExitCode.OK;
        }
        out.println("Index:         " + status.path());
        out.println("Documents:     " + status.documents());
        out.println("Chunks:        " + status.chunks());
        out.println("Size on disk:  "
                + (size == null ? "on the cluster (see rag doctor)" : DoctorCommand.humanBytes(size)));
        out.println("Last ingest:   " + (last == null ? "unknown" : status.lastIngest()));
        out.println("Embedder:      " + status.embedder() + " (" + status.dimension() + "-d)");
        out.println("Chunking:      " + status.chunking());
        out.println("Vectors:       " + manifest.vectorFormat());
        out.println("Text analysis: " + status.textAnalysis());
        return ExitCode.OK;
    }

    /** When the index last committed: the time of its newest commit point (segments_N). */
    static Instant lastCommit(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("segments_"))
                    .map(p -> {
                        try {
                            return Files.getLastModifiedTime(p).toInstant();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .max(Instant::compareTo)
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the index folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
