package dev.localrag.core.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * ONNX Runtime sessions from a model's graph as ONNX Runtime optimized it, kept in a cache folder:
 * the first load optimizes the model and writes the result there, later loads read it and skip both
 * unpacking the model and optimizing it (the bulk of an in-process model's load time). The vectors
 * are the same: it is the graph the first load ran.
 *
 * <p>Only when the {@value #PROPERTY} system property names the folder (the {@code rag} launcher
 * sets it to its cache folder); else every load optimizes, as before. A folder that cannot be
 * written means no cache, not a failure. The file name is a hash of the model's identity, the ONNX
 * Runtime version and the CPU: a fully optimized graph may use this CPU's instructions.
 */
final class OptimizedModelCache {

    /** The system property naming the cache folder. */
    static final String PROPERTY = "localrag.cacheDir";

    private OptimizedModelCache() {}

    /**
     * A session for a model: from the cache when it holds the model, else from {@code model}'s
     * bytes, optimized as {@code options} say (and then written to the cache).
     *
     * @param identity what names the model's content, e.g. its jar entry and CRC, or its path, size
     *     and modification time
     */
    static OrtSession createSession(
            OrtEnvironment environment, OrtSession.SessionOptions options, String identity, Supplier<byte[]> model)
            throws OrtException {
        String folder = System.getProperty(PROPERTY);
        Path dir = folder == null || folder.isBlank() ? null : Path.of(folder);
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return environment.createSession(model.get(), options);
        }
        Path cached = dir.resolve("onnx-" + key(identity, environment.getVersion()) + ".onnx");
        if (Files.isRegularFile(cached)) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT); // optimized already
            try {
                return environment.createSession(cached.toString(), options);
            } catch (OrtException e) {
                throw new OrtException(
                        e.getCode(),
                        "the cached optimized model " + cached + " does not load (" + e.getMessage()
                                + "): delete it, the next load writes it again.");
            }
        }
        Path written =
                dir.resolve(cached.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        options.setOptimizedModelFilePath(written.toString());
        // ONNX Runtime warns that a fully optimized graph suits this machine only: it is only used here
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        OrtSession session = environment.createSession(model.get(), options);
        try {
            publish(written, cached);
        } catch (IOException e) {
            session.close();
            throw new UncheckedIOException(
                    "cannot write the optimized model " + cached + " (" + e.getMessage()
                            + "): free space there, or point LOCALRAG_CACHE_DIR at another folder.",
                    e);
        }
        return session;
    }

    /** Moves the written file into place whole, so that a reader never sees half of it. */
    private static void publish(Path written, Path cached) throws IOException {
        if (!Files.isRegularFile(written)) {
            return; // ONNX Runtime wrote none (it writes nothing for some models): load them as before
        }
        try {
            Files.move(written, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(written, cached, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(written);
        }
    }

    static String key(String identity, String ortVersion) {
        String text = String.join(
                "\n", identity, ortVersion, System.getProperty("os.name"), System.getProperty("os.arch"), cpu());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The CPU's model and instruction-set flags (Linux), which a fully optimized graph may depend on. */
    private static String cpu() {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return "";
        }
        try (var lines = Files.lines(info)) {
            return String.join(
                    "\n",
                    lines.filter(l -> l.startsWith("model name") || l.startsWith("flags"))
                            .limit(2)
                            .toList());
        } catch (IOException | UncheckedIOException e) {
            return ""; // unreadable here: the name still tells models, versions and architectures apart
        }
    }
}
