package dev.localrag.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The training run of the JVM's ahead-of-time cache: the launcher runs it once per JDK and build
 * (in the background, with {@code -XX:AOTCacheOutput}) so that later {@code rag} calls start with
 * the classes it used already loaded and linked. It runs the query commands in-process on a small
 * corpus of its own under {@code WORK_DIR}: no network, no user config; {@code --prepare} (run
 * first, without the cache output) only indexes that corpus.
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=rag.aot -cp rag-cli.jar dev.localrag.cli.AotTraining WORK_DIR}
 */
final class AotTraining {

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        boolean prepare = args.length == 2 && args[0].equals("--prepare");
        if (args.length != 1 && !prepare) {
            System.err.println("usage: AotTraining [--prepare] WORK_DIR");
            System.exit(ExitCode.USAGE);
        }
        Path work = Path.of(args[args.length - 1]).toAbsolutePath();
        Path docs = work.resolve("docs");
        Path index = work.resolve("index");
        Files.createDirectories(docs);
        write(docs.resolve("ports.md"), """
                # Changing the port
                Ollama listens on 127.0.0.1:11434. Set OLLAMA_HOST to change the address and the port,
                for example OLLAMA_HOST=0.0.0.0:8080, then restart the server.
                """);
        write(docs.resolve("models.txt"), """
                Models are pulled with ollama pull and stored under ~/.ollama/models. Embedding models
                turn text into vectors; chat models write the answers. Context length is set per model.
                """);
        Map<String, String> env = Map.of("OLLAMA_HOST", "http://127.0.0.1:9", "LOCALRAG_INDEX", index.toString());
        CliEnvironment quiet = new CliEnvironment(env, work, work, sink(), sink());
        String[] ingest = {"ingest", docs.toString(), "--embedder", "onnx:bge-small-en-v1.5", "--no-isolate", "--quiet"
        };
        if (prepare || !Files.isDirectory(index)) {
            // The index the queries need. The launcher builds it in a JVM of its own (--prepare): the
            // cache is loaded whole at every start, so ingest's classes (Tika, POI, ...) in it would
            // slow down every search; an ingest runs for seconds and does without.
            Main.run(quiet, ingest);
            if (prepare) {
                System.exit(0);
            }
        }
        String[][] runs = {
            {"--version"},
            {"--help"},
            {"search", "which port does ollama listen on"},
            {"search", "--mode", "keyword", "ollama port"},
            {"search", "--json", "-k", "2", "pull models"},
            {"ask", "How do I change the port?"},
            {"status"},
        };
        for (int round = 0; round < 2; round++) { // a second round: the profiles see warmer paths
            for (String[] run : runs) {
                Main.run(quiet, run);
            }
        }
        System.exit(0); // non-daemon pools of the commands must not keep the training JVM alive
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrintWriter sink() {
        return new PrintWriter(Writer.nullWriter(), true);
    }
}
