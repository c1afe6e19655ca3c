package dev.localrag.core.embed;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15q.BgeSmallZhV15QuantizedEmbeddingModel;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.Internal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * In-process ONNX embedding models: the quantized ones shipped in LangChain4j jars (no server, no
 * download), or a user-supplied model: {@code onnx:PATH} where PATH is a folder holding {@code
 * model.onnx} and {@code tokenizer.json}, or an {@code .onnx} file with {@code tokenizer.json} next
 * to it (mean pooling, no query instruction).
 */
@Internal
public final class OnnxEmbedder extends LangChain4jEmbedder {

    private record Known(Supplier<EmbeddingModel> factory, String queryPrefix) {}

    private static final Map<String, Known> KNOWN = Map.of(
            "bge-small-en-v1.5",
            new Known(
                    BgeSmallEnV15QuantizedEmbeddingModel::new,
                    // The instruction bge v1.5 was trained with for retrieval queries (model card).
                    "Represent this sentence for searching relevant passages: "),
            "bge-small-zh-v1.5",
            new Known(
                    BgeSmallZhV15QuantizedEmbeddingModel::new,
                    // The Chinese query instruction from the bge-small-zh-v1.5 model card.
                    "为这个句子生成表示以用于检索相关文章："),
            "all-minilm-l6-v2",
            // Symmetric model: no query instruction.
            new Known(AllMiniLmL6V2QuantizedEmbeddingModel::new, ""));

    private OnnxEmbedder(EmbedderSpec spec, EmbeddingModel model, String queryPrefix) {
        super(spec, model, queryPrefix);
    }

    public static OnnxEmbedder create(EmbedderSpec spec) {
        String name = spec.model();
        Known known = KNOWN.get(name.toLowerCase(java.util.Locale.ROOT));
        if (known != null) {
            return new OnnxEmbedder(spec, known.factory().get(), known.queryPrefix());
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
        try {
            return new OnnxEmbedder(spec, new OnnxEmbeddingModel(model, tokenizer, PoolingMode.MEAN), "");
        } catch (RuntimeException e) {
            throw new ConfigurationException(
                    "Embedder " + spec + ": cannot load " + model + " with " + tokenizer + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int preferredBatchSize() {
        return 64;
    }
}
