package dev.localrag.core.embed;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.localrag.core.ConfigurationException;
import java.util.Map;
import java.util.function.Supplier;

/** In-process ONNX embedding models shipped in LangChain4j jars: no server, no download. */
public final class OnnxEmbedder extends LangChain4jEmbedder {

    private record Known(Supplier<EmbeddingModel> factory, String queryPrefix) {}

    private static final Map<String, Known> KNOWN = Map.of(
            "bge-small-en-v1.5",
            new Known(
                    BgeSmallEnV15QuantizedEmbeddingModel::new,
                    // The instruction bge v1.5 was trained with for retrieval queries (model card).
                    "Represent this sentence for searching relevant passages: "));

    private OnnxEmbedder(EmbedderSpec spec, Known known) {
        super(spec, known.factory().get(), known.queryPrefix());
    }

    public static OnnxEmbedder create(EmbedderSpec spec) {
        Known known = KNOWN.get(spec.model());
        if (known == null) {
            throw new ConfigurationException("Unknown in-process embedding model \"" + spec.model()
                    + "\" in --embedder " + spec + ". Available: "
                    + String.join(
                            ", ",
                            KNOWN.keySet().stream()
                                    .map(m -> "onnx:" + m)
                                    .sorted()
                                    .toList())
                    + ".");
        }
        return new OnnxEmbedder(spec, known);
    }

    @Override
    public int preferredBatchSize() {
        return 64;
    }
}
