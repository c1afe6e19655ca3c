package dev.localrag.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.LocalRagException;
import dev.localrag.core.answer.ChatAvailability;
import dev.localrag.core.config.ChatModelSpec;
import dev.localrag.core.config.IndexSettings;
import dev.localrag.core.config.IngestSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.Embedders;
import dev.localrag.core.index.IndexLocation;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexStats;
import dev.localrag.core.index.OpenSearchVectorIndex;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.core.index.VectorIndexes;
import dev.localrag.core.ollama.ChatResult;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.ollama.OllamaStatus;
import dev.localrag.ingest.Tesseract;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Check the setup and say what to fix: the JDK and Lucene's SIMD vector code; Ollama (reachable,"
                    + " version); each configured model (with the pull command when missing); the embedding"
                    + " dimension against the index's; a one-token chat round trip (time to first token); the"
                    + " index (documents, chunks, size on disk, embedder).",
            "Exit code 0 when everything is fine (warnings allowed: e.g. Ollama absent while only the chat model"
                    + " needs it, so answers are extractive), 1 when a check fails that breaks the configured use."
        })
final class DoctorCommand implements Callable<Integer> {

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    private PrintWriter out;
    private int problems;

    @Override
    public Integer call() {
        CliEnvironment environment = parent.environment();
        out = environment.out();
        RagConfig config = common.resolve(environment);

        checkJava();
        checkTesseract(config);
        IndexManifest manifest = checkIndex(config);

        ChatModelSpec chatSpec = config.ollama().chatModel();
        boolean nativeChat = chatSpec.provider() == ChatModelSpec.Provider.OLLAMA;
        String chatModel = chatSpec.model();
        EmbedderSpec embedder = manifest != null
                ? manifest.embedder()
                : config.embedderSpec()
                        .map(EmbedderSpec::parse)
                        .orElse(new EmbedderSpec(
                                EmbedderSpec.Provider.OLLAMA, config.ollama().embeddingModel()));
        boolean ollamaEmbedder = embedder.provider() == EmbedderSpec.Provider.OLLAMA;

        OllamaStatus status = new OllamaProbe(config.ollama()).check();
        if (status.reachable()) {
            ok("Ollama " + status.version() + " at " + status.baseUrl() + " ("
                    + status.models().size() + " models)");
        } else if (ollamaEmbedder && (manifest != null || config.embedderSpec().isPresent())) {
            // the index's (or the configured) embedder is Ollama's: ingest and search need it
            fail(status.startHint() + " [" + status.problem() + "]");
        } else if (nativeChat || ollamaEmbedder) {
            // answers fall back to the retrieved passages, and a new index to the in-process embedder
            warn(status.startHint() + " [" + status.problem() + "] -- until it runs, answers are extractive"
                    + " (the retrieved passages with citations)"
                    + (ollamaEmbedder ? " and a new index uses " + EmbedderSpec.DEFAULT_ONNX : ""));
        } else {
            ok("Ollama not running at " + status.baseUrl() + " (not needed: chat and embeddings use other providers)");
        }

        if (status.reachable()) {
            if (nativeChat) {
                checkModel(status, chatModel, "chat model");
            }
            if (ollamaEmbedder) {
                checkModel(status, embedder.model(), "embedding model");
            }
        }
        checkEmbedder(config, embedder, manifest, !ollamaEmbedder || status.hasModel(embedder.model()));
        if (!nativeChat) {
            ChatAvailability.Status chat = new ChatAvailability(config.ollama()).check();
            if (chat.available()) {
                ok("chat model " + chatSpec + ": the OpenAI-compatible server at " + chat.server() + " answers");
            } else {
                fail("chat model " + chatSpec + ": " + chat.notice());
            }
        } else if (status.reachable() && status.hasModel(chatModel)) {
            checkChat(config, chatModel);
        }

        out.println(problems == 0 ? "All checks passed." : problems + " problem(s) found.");
        return problems == 0 ? ExitCode.OK : ExitCode.FAILURE;
    }

    /** OCR is optional: without Tesseract scans are skipped, so its absence is a warning, not a failure. */
    private void checkTesseract(RagConfig config) {
        IngestSettings.Ocr mode = config.ingest().ocr();
        if (mode == IngestSettings.Ocr.OFF) {
            ok("OCR off (ingest.ocr: off): scanned pages and pictures are skipped");
            return;
        }
        Optional<Tesseract> tesseract = Tesseract.find();
        if (tesseract.isEmpty()) {
            String line = "tesseract not found: scanned pages and pictures are skipped. " + Tesseract.INSTALL_HINT;
            if (mode == IngestSettings.Ocr.ON) {
                fail(line + " (ingest.ocr is on)");
            } else {
                warn(line);
            }
            return;
        }
        Tesseract t = tesseract.get();
        try {
            Tesseract.resolve(config.ingest());
            ok("tesseract " + t.version() + " (languages " + String.join(", ", t.languages()) + "): OCR of scans with "
                    + config.ingest().ocrLanguages());
        } catch (RuntimeException e) {
            fail("tesseract " + t.version() + ": " + e.getMessage());
        }
    }

    private void checkJava() {
        Runtime.Version v = Runtime.version();
        String vendor = System.getProperty("java.vendor", "?");
        String simd = luceneSimd();
        String line = "Java " + v + " (" + vendor + "); Lucene SIMD " + simd;
        if (v.feature() < 21) {
            fail(line + " -- LocalRAG needs Java 21 or newer");
        } else if (!simd.startsWith("on")) {
            warn(line + " -- run with --add-modules jdk.incubator.vector (./rag does) for faster vector search");
        } else {
            ok(line);
        }
    }

    /** Which vectorization provider Lucene picked; "on (...)" when it is the Panama (SIMD) one. */
    static String luceneSimd() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        try {
            Class<?> holder = Class.forName("org.apache.lucene.internal.vectorization.VectorizationProvider$Holder");
            java.lang.reflect.Field f = holder.getDeclaredField("INSTANCE");
            f.setAccessible(true);
            String name = f.get(null).getClass().getSimpleName();
            return name.startsWith("Panama") ? "on (" + name + ")" : "off (" + name + ")";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return module ? "on? (jdk.incubator.vector loaded)" : "off (jdk.incubator.vector not loaded)";
        }
    }

    private IndexManifest checkIndex(RagConfig config) {
        String dir = config.index().toString();
        IndexManifest manifest;
        try {
            manifest = VectorIndexes.readManifest(config.index(), config.opensearch());
        } catch (LocalRagException e) {
            fail("index " + dir + ": " + e.getMessage());
            return null;
        }
        IndexSettings settings = config.indexSettings();
        if (manifest == null) {
            String format;
            try {
                format = "vectors " + settings.newVectorFormat() + ", text analysis "
                        + settings.newTextAnalysis().id();
            } catch (ConfigurationException e) {
                fail("index settings: " + e.getMessage());
                return null;
            }
            warn("no index at " + dir + " yet -- create one with `rag ingest PATH` (it will get " + format + ")");
            return null;
        }
        try (VectorIndex index = VectorIndexes.openReadOnly(config.index(), config.opensearch())) {
            IndexStats stats = index.stats();
            if (index instanceof OpenSearchVectorIndex cluster) {
                checkCluster(cluster);
            }
            ok(String.format(
                    Locale.ROOT,
                    "index %s: %d documents, %d chunks, %s, embedder %s (%d-d), chunking %s, vectors %s,"
                            + " text analysis %s",
                    dir,
                    stats.documents(),
                    stats.chunks(),
                    config.index() instanceof IndexLocation.Folder folder
                            ? humanBytes(sizeOnDisk(folder.dir())) + " on disk"
                            : "on OpenSearch",
                    manifest.embedder(),
                    manifest.dimension(),
                    manifest.chunking(),
                    manifest.vectorFormat(),
                    manifest.textAnalysis().id()));
        } catch (LocalRagException e) {
            fail("index " + dir + " cannot be opened: " + e.getMessage());
        }
        List<String> conflicts = settings.conflicts(manifest);
        if (!conflicts.isEmpty()) {
            fail("the config file's index settings differ from the index's: " + String.join(", ", conflicts)
                    + " -- `rag ingest` refuses them; remove them from the config file, or rebuild the index (delete "
                    + dir + " and ingest again)");
        }
        return manifest;
    }

    /** Cluster health of the index (green, yellow: replicas missing, red: shards missing) and its layout. */
    private void checkCluster(OpenSearchVectorIndex index) {
        JsonNode health = index.health();
        JsonNode cluster = health.path("cluster");
        JsonNode settings = health.path("settings").path("index");
        String line = String.format(
                Locale.ROOT,
                "OpenSearch cluster %s: %s, %d nodes; index %s: %s shards, %s replicas, %d active shards, %d"
                        + " unassigned",
                cluster.path("cluster_name").asText(),
                cluster.path("status").asText(),
                cluster.path("number_of_nodes").asInt(),
                index.openSearchLocation().index(),
                settings.path("number_of_shards").asText("?"),
                settings.path("number_of_replicas").asText("?"),
                cluster.path("active_shards").asInt(),
                cluster.path("unassigned_shards").asInt());
        switch (cluster.path("status").asText()) {
            case "green" -> ok(line);
            case "yellow" -> warn(line + " -- some replicas are not assigned: losing a node may lose shards");
            default -> fail(line + " -- some primary shards are missing: searches miss documents");
        }
    }

    private void checkModel(OllamaStatus status, String model, String role) {
        if (status.hasModel(model)) {
            ok(role + " " + model + " is pulled");
        } else {
            fail(role + " " + model + " is not pulled — run `ollama pull " + model + "`");
        }
    }

    private void checkEmbedder(RagConfig config, EmbedderSpec spec, IndexManifest manifest, boolean available) {
        if (!available) {
            return;
        }
        try (Embedder embedder = Embedders.create(spec, config.ollama())) {
            int dimension = embedder.dimension();
            if (manifest == null) {
                ok("embedder " + spec + " gives " + dimension + "-d vectors");
            } else if (dimension == manifest.dimension()) {
                ok("embedder " + spec + " gives " + dimension + "-d vectors, as the index expects");
            } else {
                fail("embedder " + spec + " gives " + dimension + "-d vectors but the index holds "
                        + manifest.dimension() + "-d ones -- the model behind the name changed; re-ingest into a"
                        + " new --index folder");
            }
        } catch (LocalRagException e) {
            fail("embedder " + spec + ": " + e.getMessage());
        }
    }

    private void checkChat(RagConfig config, String model) {
        try (OllamaClient client = new OllamaClient(config.ollama())) {
            long start = System.nanoTime();
            ChatResult result = client.chat(
                    model,
                    List.of(new OllamaClient.Message("user", "Reply with the single word OK.")),
                    Map.of("num_predict", 1, "temperature", 0),
                    token -> {});
            long total = (System.nanoTime() - start) / 1_000_000;
            ok(String.format(
                    Locale.ROOT,
                    "chat round trip with %s: first token after %d ms, %d ms in all (done_reason %s)",
                    model,
                    result.firstTokenNanos() / 1_000_000,
                    total,
                    result.doneReason().isEmpty() ? "?" : result.doneReason()));
        } catch (LocalRagException e) {
            fail("chat round trip with " + model + ": " + e.getMessage());
        }
    }

    static long sizeOnDisk(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    static String humanBytes(long bytes) {
        if (bytes < 0) {
            return "unknown size";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private void ok(String line) {
        out.println("ok    " + line);
    }

    private void warn(String line) {
        out.println("warn  " + line);
    }

    private void fail(String line) {
        problems++;
        out.println("FAIL  " + line);
    }
}
