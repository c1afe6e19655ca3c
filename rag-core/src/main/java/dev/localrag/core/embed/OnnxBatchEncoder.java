package dev.localrag.core.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.localrag.core.LocalRagException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A BERT bi-encoder run the way a CPU likes it: one ONNX Runtime session whose intra-op threads
 * match the cores and sleep when idle (LangChain4j's {@code embedAll} runs one single-text session
 * call per core, each with its own spinning intra-op pool, and oversubscribes them; it also
 * tokenizes each text three times), and tokenization on its own thread while the session runs the
 * previous wave.
 *
 * <p>One text per session call, not padded batches: the shipped models are dynamically quantized
 * ({@code DynamicQuantizeLinear}, one activation scale per tensor), so in a batch a text's vector
 * depends on its neighbours (cosine 0.975 to 0.997 to its own vector, measured), and batches were
 * not faster on CPU either.
 *
 * <p>Tokenizer, special tokens and pooling are LangChain4j's {@code OnnxBertBiEncoder}'s (CLS or
 * mean over the sequence including [CLS] and [SEP], then unit length), so vectors match its vectors.
 * A text longer than the model's 512 positions goes to LangChain4j's own model, which splits it into
 * windows and averages them.
 */
final class OnnxBatchEncoder implements AutoCloseable {

    /** LangChain4j's limit: 510 tokens plus [CLS] and [SEP]. */
    static final int MAX_POSITIONS = 512;

    /** Texts tokenized ahead of the session: one wave is tokenized while the previous one runs. */
    private static final int WAVE = 64;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean typeIds;
    private final HuggingFaceTokenizer tokenizer;
    private final PoolingMode pooling;
    private final Supplier<EmbeddingModel> longTexts;
    private final ExecutorService tokenizerThread;
    private EmbeddingModel longTextModel;
    private int dimension;

    /**
     * @param model the ONNX model's bytes
     * @param tokenizer the model's Hugging Face {@code tokenizer.json}
     * @param longTexts LangChain4j's model for the same files, made on first need
     */
    OnnxBatchEncoder(byte[] model, InputStream tokenizer, PoolingMode pooling, Supplier<EmbeddingModel> longTexts) {
        this.pooling = pooling;
        this.longTexts = longTexts;
        try {
            this.environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            options.setInterOpNumThreads(1);
            // idle intra-op threads sleep rather than spin: the parser and the index share the cores
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = environment.createSession(model, options);
            this.typeIds = session.getInputNames().contains("token_type_ids");
            // the options LangChain4j's OnnxBertBiEncoder uses: its token ids are ours
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizer, Map.of("padding", "false"));
            NodeInfo out = session.getOutputInfo().values().iterator().next();
            long[] shape = ((TensorInfo) out.getInfo()).getShape();
            this.dimension = shape.length == 3 && shape[2] > 0 ? (int) shape[2] : 0;
        } catch (OrtException | IOException e) {
            throw new LocalRagException("cannot load the ONNX model: " + e.getMessage(), e);
        }
        this.tokenizerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "onnx-tokenizer");
            t.setDaemon(true);
            return t;
        });
    }

    int dimension() {
        if (dimension == 0) {
            dimension = embed(List.of("dimension")).get(0).length;
        }
        return dimension;
    }

    /** One unit-length vector per text, in order. */
    List<float[]> embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        CompletableFuture<Encoding[]> next = tokenize(texts, 0);
        for (int from = 0; from < texts.size(); from += WAVE) {
            Encoding[] wave = join(next);
            int nextFrom = from + WAVE;
            next = nextFrom < texts.size() ? tokenize(texts, nextFrom) : null;
            run(texts, from, wave, out);
        }
        return Arrays.asList(out);
    }

    private CompletableFuture<Encoding[]> tokenize(List<String> texts, int from) {
        List<String> wave = texts.subList(from, Math.min(texts.size(), from + WAVE));
        return CompletableFuture.supplyAsync(
                () -> {
                    Encoding[] encodings = new Encoding[wave.size()];
                    for (int i = 0; i < encodings.length; i++) {
                        encodings[i] = tokenizer.encode(wave.get(i), true, false);
                    }
                    return encodings;
                },
                tokenizerThread);
    }

    private static Encoding[] join(CompletableFuture<Encoding[]> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Embeds one wave, a session call per text. */
    private void run(List<String> texts, int offset, Encoding[] wave, float[][] out) {
        for (int i = 0; i < wave.length; i++) {
            out[offset + i] =
                    wave[i].getIds().length >= MAX_POSITIONS ? longText(texts.get(offset + i)) : session(wave[i]);
        }
    }

    private float[] longText(String text) {
        synchronized (this) {
            if (longTextModel == null) {
                longTextModel = longTexts.get();
            }
        }
        return Vectors.normalize(longTextModel.embed(text).content().vector());
    }

    private float[] session(Encoding encoding) {
        long[] ids = encoding.getIds();
        long[] shape = {1, ids.length};
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor maskTensor =
                        OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getAttentionMask()), shape);
                OnnxTensor typesTensor =
                        OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getTypeIds()), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", idsTensor);
            inputs.put("attention_mask", maskTensor);
            if (typeIds) {
                inputs.put("token_type_ids", typesTensor);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                int dim = (int) hidden.getInfo().getShape()[2];
                return Vectors.normalize(pool(hidden.getFloatBuffer(), dim, ids.length));
            }
        } catch (OrtException e) {
            throw new LocalRagException(
                    "the ONNX model failed on a text of " + ids.length + " tokens: " + e.getMessage(), e);
        }
    }

    /** Pools a [1, length, dim] output: [CLS] or the mean over all positions, as LangChain4j does. */
    private float[] pool(FloatBuffer values, int dim, int length) {
        float[] v = new float[dim];
        int base = 0;
        if (pooling == PoolingMode.CLS) {
            values.get(base, v);
            return v;
        }
        if (pooling != PoolingMode.MEAN) {
            throw new IllegalArgumentException("unsupported pooling mode " + pooling);
        }
        for (int t = 0; t < length; t++) {
            int at = base + t * dim;
            for (int j = 0; j < dim; j++) {
                v[j] += values.get(at + j);
            }
        }
        for (int j = 0; j < dim; j++) {
            v[j] /= length;
        }
        return v;
    }

    @Override
    public void close() {
        tokenizerThread.shutdownNow();
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new LocalRagException("cannot close the ONNX session: " + e.getMessage(), e);
        }
    }
}
