package dev.localrag.core.embed;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15q.BgeSmallZhV15QuantizedEmbeddingModel;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.Internal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * In-process ONNX embedding models: the quantized ones shipped in LangChain4j jars (no server, no
 * download), or a user-supplied model: {@code onnx:PATH} where PATH is a folder holding {@code
 * model.onnx} and {@code tokenizer.json}, or an {@code .onnx} file with {@code tokenizer.json} next
 * to it (mean pooling, no query instruction).
 *
 * <p>The model files and the vectors are LangChain4j's, but the model runs through {@link
 * OnnxBatchEncoder} (one session with intra-op threads matched to the cores, tokenization on its own
 * thread), which is faster than LangChain4j's {@code embedAll}; see {@code OnnxEmbedBenchmark}.
 */
@Internal
public final class OnnxEmbedder implements Embedder {

    private record Known(
            String modelResource,
            String tokenizerResource,
            PoolingMode pooling,
            Supplier<EmbeddingModel> langChain4j,
            String queryPrefix) {}

    private static final Map<String, Known> KNOWN = Map.of(
            "bge-small-en-v1.5",
            new Known(
                    "bge-small-en-v1.5-q.onnx",
                    "bge-small-en-v1.5-q-tokenizer.json",
                    PoolingMode.CLS,
                    BgeSmallEnV15QuantizedEmbeddingModel::new,
                    // The instruction bge v1.5 was trained with for retrieval queries (model card).
                    "Represent this sentence for searching relevant passages: "),
            "bge-small-zh-v1.5",
            new Known(
                    "bge-small-zh-v1.5-q.onnx",
                    "bge-small-zh-v1.5-q-tokenizer.json",
                    PoolingMode.CLS,
                    BgeSmallZhV15QuantizedEmbeddingModel::new,
                    // The Chinese query instruction from the bge-small-zh-v1.5 model card.
                    "为这个句子生成表示以用于检索相关文章："),
            "all-minilm-l6-v2",
            // Symmetric model: no query instruction.
            new Known(
                    "all-minilm-l6-v2-q.onnx",
                    "all-minilm-l6-v2-q-tokenizer.json",
                    PoolingMode.MEAN,
                    AllMiniLmL6V2QuantizedEmbeddingModel::new,
                    ""));

    private final EmbedderSpec spec;
    private final OnnxBatchEncoder encoder;
    private final String queryPrefix;

    private OnnxEmbedder(EmbedderSpec spec, OnnxBatchEncoder encoder, String queryPrefix) {
        this.spec = spec;
        this.encoder = encoder;
        this.queryPrefix = queryPrefix;
    }

    public static OnnxEmbedder create(EmbedderSpec spec) {
        return create(spec, 1);
    }

    /** With {@code callers} texts in the session at once (see {@link OnnxBatchEncoder}); for benchmarks. */
    static OnnxEmbedder create(EmbedderSpec spec, int callers) {
        String name = spec.model();
        Known known = KNOWN.get(name.toLowerCase(java.util.Locale.ROOT));
        if (known != null) {
            return new OnnxEmbedder(spec, fromJar(spec, known, callers), known.queryPrefix());
        }
        if (looksLikePath(name)) {
            return fromPath(spec, Path.of(name));
        }
        throw new ConfigurationException("Unknown in-process embedding model \"" + name + "\" in embedder " + spec
                + ". Available: "
                + String.join(
                        ", ",
                        KNOWN.keySet().stream().map(m -> "onnx:" + m).sorted().toList())
                + ", or onnx:PATH to a folder with model.onnx and tokenizer.json.");
    }

    /** LangChain4j's own model for a shipped name, for comparisons (benchmark, tests). */
    static EmbeddingModel langChain4jModel(String name) {
        Known known = KNOWN.get(name.toLowerCase(java.util.Locale.ROOT));
        if (known == null) {
            throw new IllegalArgumentException("not a shipped model: " + name);
        }
        return known.langChain4j().get();
    }

    private static OnnxBatchEncoder fromJar(EmbedderSpec spec, Known known, int callers) {
        // LangChain4j's jars keep the model files at their root
        ClassLoader resources = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
        URL model = resource(spec, resources, known.modelResource());
        try (InputStream tokenizer =
                resource(spec, resources, known.tokenizerResource()).openStream()) {
            return new OnnxBatchEncoder(
                    identity(model),
                    () -> {
                        try (InputStream in = model.openStream()) {
                            return in.readAllBytes();
                        } catch (IOException e) {
                            throw cannotRead(spec, known, e);
                        }
                    },
                    tokenizer,
                    known.pooling(),
                    known.langChain4j(),
                    callers);
        } catch (IOException e) {
            throw cannotRead(spec, known, e);
        }
    }

    private static ConfigurationException cannotRead(EmbedderSpec spec, Known known, IOException e) {
        return new ConfigurationException(
                "Embedder " + spec + ": cannot read " + known.modelResource() + ": " + e.getMessage(), e);
    }

    /** The model's jar entry and its checksum: what names its content without unpacking it. */
    private static String identity(URL model) throws IOException {
        if (model.openConnection() instanceof JarURLConnection jar) {
            jar.setUseCaches(true);
            return model + " crc " + jar.getJarEntry().getCrc() + " size "
                    + jar.getJarEntry().getSize();
        }
        return model.toString();
    }

    private static URL resource(EmbedderSpec spec, ClassLoader loader, String name) {
        URL url = loader.getResource(name);
        if (url == null) {
            throw new ConfigurationException("Embedder " + spec + ": " + name
                    + " is not on the classpath; the LangChain4j embeddings jar that ships it is missing.");
        }
        return url;
    }

    private static boolean looksLikePath(String name) {
        return name.contains("/") || name.contains("\\") || name.endsWith(".onnx") || name.startsWith("~");
    }

    private static OnnxEmbedder fromPath(EmbedderSpec spec, Path path) {
        Path model = Files.isDirectory(path) ? path.resolve("model.onnx") : path;
        Path dir = model.toAbsolutePath().getParent();
        Path tokenizer = dir == null ? Path.of("tokenizer.json") : dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(model)) {
            throw new ConfigurationException("Embedder " + spec + ": ONNX model file " + model
                    + " does not exist. Point onnx:PATH at a folder holding model.onnx and tokenizer.json,"
                    + " or at an .onnx file with tokenizer.json beside it.");
        }
        if (!Files.isRegularFile(tokenizer)) {
            throw new ConfigurationException("Embedder " + spec + ": tokenizer " + tokenizer
                    + " does not exist. Put the model's tokenizer.json (Hugging Face format) next to " + model + ".");
        }
        try (InputStream tokenizerJson = Files.newInputStream(tokenizer)) {
            String identity = model.toAbsolutePath() + " size " + Files.size(model) + " modified "
                    + Files.getLastModifiedTime(model).toMillis();
            OnnxBatchEncoder encoder = new OnnxBatchEncoder(
                    identity,
                    () -> {
                        try {
                            return Files.readAllBytes(model);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    tokenizerJson,
                    PoolingMode.MEAN,
                    () -> new OnnxEmbeddingModel(model, tokenizer, PoolingMode.MEAN));
            return new OnnxEmbedder(spec, encoder, "");
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException(
                    "Embedder " + spec + ": cannot load " + model + " with " + tokenizer + ": " + e.getMessage(), e);
        }
    }

    /** The encoder, for {@code OnnxEmbedBenchmark}'s comparisons. */
    OnnxBatchEncoder encoder() {
        return encoder;
    }

    @Override
    public EmbedderSpec spec() {
        return spec;
    }

    @Override
    public int dimension() {
        return encoder.dimension();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return texts.isEmpty() ? List.of() : encoder.embed(texts);
    }

    @Override
    public float[] embedQuery(String query) {
        return encoder.embed(List.of(queryPrefix + query)).get(0);
    }

    @Override
    public int preferredBatchSize() {
        return 64;
    }

    @Override
    public void close() {
        encoder.close();
    }
}
