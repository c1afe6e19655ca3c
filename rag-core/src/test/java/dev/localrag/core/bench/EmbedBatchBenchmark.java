package dev.localrag.core.bench;

import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.OllamaEmbedder;
import dev.localrag.core.testing.OllamaTestServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Embeddings through {@code /api/embed}: one text per request (the baseline) against batches of
 * {@code ollama.embedBatchSize}, measured in the same run; prints texts/s and the ratio. Not part
 * of {@code verify}.
 *
 * <pre>
 * ./mvnw -q -pl rag-core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.localrag.core.bench.EmbedBatchBenchmark [-Dexec.args="N MODEL"]
 * </pre>
 *
 * With {@code OLLAMA_BASE_URL} set it measures that Ollama and MODEL (default {@code
 * qwen3-embedding:0.6b-q8_0}); without, the project's test server backed by the in-process ONNX
 * model (what that measures is HTTP + batching overhead, not Ollama).
 */
public final class EmbedBatchBenchmark {

    private EmbedBatchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        String model = args.length > 1 ? args[1] : OllamaSettings.DEFAULT_EMBEDDING_MODEL;
        String url = System.getenv("OLLAMA_BASE_URL");
        OllamaTestServer server = null;
        URI base;
        if (url != null && !url.isBlank()) {
            base = URI.create(url);
        } else {
            server = OllamaTestServer.builder().models(model).onnxEmbeddings().build();
            base = server.baseUrl();
        }
        List<String> texts = IntStream.range(0, n)
                .mapToObj(i -> "Passage " + i + ": Ollama listens on port 11434 by default; set OLLAMA_HOST to bind"
                        + " another address. Models are pulled with ollama pull and kept for five minutes.")
                .toList();
        try {
            OllamaSettings base1 = OllamaSettings.builder()
                    .baseUrl(base)
                    .embedBatchSize(1)
                    .timeout(Duration.ofMinutes(30))
                    .build();
            OllamaSettings batched = base1.toBuilder().embedBatchSize(32).build();
            EmbedderSpec spec = new EmbedderSpec(EmbedderSpec.Provider.OLLAMA, model);
            try (OllamaEmbedder single = OllamaEmbedder.create(spec, base1);
                    OllamaEmbedder batch = OllamaEmbedder.create(spec, batched)) {
                single.embedDocuments(texts.subList(0, Math.min(8, n))); // warm up: load the model
                batch.embedDocuments(texts.subList(0, Math.min(8, n)));
                double singleRate = rate(single, texts);
                double batchRate = rate(batch, texts);
                System.out.printf(
                        Locale.ROOT,
                        "%s at %s, %d texts: one per request %.1f texts/s, batches of 32 %.1f texts/s, ratio %.1fx%n",
                        model,
                        base,
                        n,
                        singleRate,
                        batchRate,
                        batchRate / singleRate);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static double rate(OllamaEmbedder embedder, List<String> texts) {
        long start = System.nanoTime();
        embedder.embedDocuments(texts);
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }
}
