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
import java.io.UncheckedIOException;
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
    private final int callers;
    private final ExecutorService sessionThreads;
    private EmbeddingModel longTextModel;
    private int dimension;

    /**
     * @param identity what names the model's content, for {@link OptimizedModelCache}
     * @param model the ONNX model's bytes (read only when the cache does not hold it)
     * @param tokenizer the model's Hugging Face {@code tokenizer.json}
     * @param longTexts LangChain4j's model for the same files, made on first need
     */
    OnnxBatchEncoder(
            String identity,
            Supplier<byte[]> model,
            InputStream tokenizer,
            PoolingMode pooling,
            Supplier<EmbeddingModel> longTexts) {
        this(identity, model, tokenizer, pooling, longTexts, 1);
    }

    /**
     * @param callers texts run through the session at once, each call with the cores divided among
     *     them as intra-op threads (1: one call at a time on every core)
     */
    OnnxBatchEncoder(
            String identity,
            Supplier<byte[]> model,
            InputStream tokenizer,
            PoolingMode pooling,
            Supplier<EmbeddingModel> longTexts,
            int callers) {
        this.pooling = pooling;
        this.longTexts = longTexts;
        this.callers = callers;
        this.tokenizerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "onnx-tokenizer");
            t.setDaemon(true);
            return t;
        });
        // the tokenizer (a native library) loads on its thread while the session is made
        CompletableFuture<HuggingFaceTokenizer> tokenizerLoad = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        // the options LangChain4j's OnnxBertBiEncoder uses: its token ids are ours
                        return HuggingFaceTokenizer.newInstance(tokenizer, Map.of("padding", "false"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                tokenizerThread);
        OrtSession created = null;
        try {
            this.environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / callers));
            options.setInterOpNumThreads(1);
            // idle intra-op threads sleep rather than spin: the parser and the index share the cores
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            created = OptimizedModelCache.createSession(environment, options, identity, model);
            this.session = created;
            this.typeIds = session.getInputNames().contains("token_type_ids");
            this.tokenizer = tokenizerOf(tokenizerLoad);
            NodeInfo out = session.getOutputInfo().values().iterator().next();
            long[] shape = ((TensorInfo) out.getInfo()).getShape();
            this.dimension = shape.length == 3 && shape[2] > 0 ? (int) shape[2] : 0;
        } catch (OrtException | IOException | RuntimeException e) {
            tokenizerLoad.thenAccept(HuggingFaceTokenizer::close);
            tokenizerThread.shutdown();
            if (created != null) {
                try {
                    created.close();
                } catch (OrtException closing) {
                    e.addSuppressed(closing);
                }
            }
            if (e instanceof RuntimeException r && !(e instanceof UncheckedIOException)) {
                throw r;
            }
            throw new LocalRagException("cannot load the ONNX model: " + e.getMessage(), e);
        }
        this.sessionThreads = callers > 1
                ? Executors.newFixedThreadPool(callers, r -> {
                    Thread t = new Thread(r, "onnx-session");
                    t.setDaemon(true);
                    return t;
                })
                : null;
    }

    private static HuggingFaceTokenizer tokenizerOf(CompletableFuture<HuggingFaceTokenizer> load) throws IOException {
        try {
            return load.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
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

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Embeds one wave, a session call per text. */
    private void run(List<String> texts, int offset, Encoding[] wave, float[][] out) {
        if (sessionThreads == null) {
            for (int i = 0; i < wave.length; i++) {
                out[offset + i] = one(texts.get(offset + i), wave[i]);
            }
            return;
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<CompletableFuture<Void>> running = new java.util.ArrayList<>();
        for (int c = 0; c < callers; c++) {
            running.add(CompletableFuture.runAsync(
                    () -> {
                        for (int i; (i = next.getAndIncrement()) < wave.length; ) {
                            out[offset + i] = one(texts.get(offset + i), wave[i]);
                        }
                    },
                    sessionThreads));
        }
        running.forEach(OnnxBatchEncoder::join);
    }

    private float[] one(String text, Encoding encoding) {
        return encoding.getIds().length >= MAX_POSITIONS ? longText(text) : session(encoding);
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
        try {
            return forward(
                    ids,
                    encoding.getAttentionMask(),
                    encoding.getTypeIds(),
                    new long[] {1, ids.length},
                    (hidden, dim) -> Vectors.normalize(pool(hidden, dim, ids.length)));
        } catch (OrtException e) {
            throw new LocalRagException(
                    "the ONNX model failed on a text of " + ids.length + " tokens: " + e.getMessage(), e);
        }
    }

    /** What is read from the model's last hidden state ({@code [batch, length, dim]}). */
    private interface Output<T> {
        T read(FloatBuffer hidden, int dim);
    }

    /** One session call on {@code shape = [batch, length]} inputs. */
    private <T> T forward(long[] ids, long[] mask, long[] types, long[] shape, Output<T> output) throws OrtException {
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor typesTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", idsTensor);
            inputs.put("attention_mask", maskTensor);
            if (typeIds) {
                inputs.put("token_type_ids", typesTensor);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                return output.read(
                        hidden.getFloatBuffer(), (int) hidden.getInfo().getShape()[2]);
            }
        }
    }

    /**
     * The road not taken, for {@code OnnxEmbedBenchmark}: texts sorted by length and run in padded
     * batches of {@code batchSize} with attention masks (pooling over each text's own tokens). Fast,
     * but a text's vector then depends on its neighbours (see the class comment). Texts must fit in
     * {@link #MAX_POSITIONS}.
     */
    List<float[]> embedPadded(List<String> texts, int batchSize) {
        Encoding[] all = new Encoding[texts.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = tokenizer.encode(texts.get(i), true, false);
        }
        Integer[] order = new Integer[all.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, java.util.Comparator.comparingInt(i -> all[i].getIds().length));
        float[][] out = new float[all.length][];
        for (int from = 0; from < order.length; from += batchSize) {
            int n = Math.min(batchSize, order.length - from);
            int length = 0;
            for (int b = 0; b < n; b++) {
                length = Math.max(length, all[order[from + b]].getIds().length);
            }
            long[] ids = new long[n * length];
            long[] mask = new long[n * length];
            long[] types = new long[n * length];
            for (int b = 0; b < n; b++) {
                Encoding e = all[order[from + b]];
                System.arraycopy(e.getIds(), 0, ids, b * length, e.getIds().length);
                System.arraycopy(e.getAttentionMask(), 0, mask, b * length, e.getIds().length);
                System.arraycopy(e.getTypeIds(), 0, types, b * length, e.getIds().length);
            }
            int batch = from;
            int count = n;
            int padded = length;
            try {
                forward(ids, mask, types, new long[] {n, length}, (hidden, dim) -> {
                    for (int b = 0; b < count; b++) {
                        int own = all[order[batch + b]].getIds().length;
                        FloatBuffer row =
                                hidden.duplicate().position(b * padded * dim).slice();
                        out[order[batch + b]] = Vectors.normalize(pool(row, dim, own));
                    }
                    return null;
                });
            } catch (OrtException e) {
                throw new LocalRagException("the ONNX model failed on a batch: " + e.getMessage(), e);
            }
        }
        return Arrays.asList(out);
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
        if (sessionThreads != null) {
            sessionThreads.shutdownNow();
        }
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new LocalRagException("cannot close the ONNX session: " + e.getMessage(), e);
        }
    }
}
