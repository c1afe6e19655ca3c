package dev.localrag.core.embed;

import dev.localrag.core.Checks;
import dev.localrag.core.Internal;
import dev.localrag.core.ModelProtocolException;
import dev.localrag.core.ModelRequestException;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.ollama.Priority;
import dev.localrag.core.text.TokenEstimate;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings from an Ollama server's {@code /api/embed}, sent as input arrays in batches bounded by
 * count ({@code ollama.embedBatchSize}) and by estimated tokens ({@code ollama.embedBatchTokens}).
 *
 * <p>Every input is checked against the model's context length before it is sent: the context is
 * {@code ollama.numCtx} for the model when set, else the model's trained context length from
 * {@code /api/show} capped at {@value #DEFAULT_MAX_CONTEXT}, and it is sent as {@code num_ctx} so
 * Ollama runs with the same limit. A longer input is split into pieces that fit, each embedded, and
 * its vector is the length-weighted mean of the pieces' vectors: nothing is silently truncated
 * ({@code truncate: false} makes Ollama reject rather than cut, should the estimate be low). The
 * dimension is read from the model (the first vector it returns), never hard-coded. Queries go ahead of ingest batches in the client's limiter.
 */
@Internal
public final class OllamaEmbedder implements Embedder {

    /** Qwen3-Embedding is trained with an instruction on the query side only (model card). */
    static final String QWEN3_QUERY_PREFIX =
            "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery:";

    static final int DEFAULT_MAX_CONTEXT = 8192;

    private final EmbedderSpec spec;
    private final OllamaClient client;
    private final boolean ownsClient;
    private final OllamaSettings settings;
    private final String queryPrefix;
    private volatile int dimension;
    private volatile int contextTokens;

    private OllamaEmbedder(EmbedderSpec spec, OllamaClient client, boolean ownsClient) {
        this.spec = Checks.notNull(spec, "spec");
        this.client = Checks.notNull(client, "client");
        this.ownsClient = ownsClient;
        this.settings = client.settings();
        this.queryPrefix = queryPrefix(spec.model());
    }

    /** An embedder with its own client (and limiter). */
    public static OllamaEmbedder create(EmbedderSpec spec, OllamaSettings settings) {
        return new OllamaEmbedder(spec, new OllamaClient(settings), true);
    }

    /** An embedder sharing {@code client} (and its limiter) with others; the client is not closed. */
    public static OllamaEmbedder create(EmbedderSpec spec, OllamaClient client) {
        return new OllamaEmbedder(spec, client, false);
    }

    static String queryPrefix(String model) {
        return model.startsWith("qwen3-embedding") ? QWEN3_QUERY_PREFIX : "";
    }

    @Override
    public EmbedderSpec spec() {
        return spec;
    }

    @Override
    public int dimension() {
        if (dimension == 0) {
            // The vector the model returns is the authority (a model's hidden size, /api/show's
            // embedding_length, is not always its output size).
            embed(List.of("dimension"), Priority.INTERACTIVE);
        }
        return dimension;
    }

    /** Tokens one input may have: the context the model runs with. */
    public int contextTokens() {
        if (contextTokens == 0) {
            int configured = settings.numCtxFor(spec.model());
            if (configured > 0) {
                contextTokens = configured;
            } else {
                int trained = client.show(spec.model()).contextLength();
                contextTokens = trained > 0 ? Math.min(trained, DEFAULT_MAX_CONTEXT) : 2048;
            }
        }
        return contextTokens;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return embed(texts, Priority.BULK);
    }

    @Override
    public float[] embedQuery(String query) {
        return embed(List.of(queryPrefix + query), Priority.INTERACTIVE).get(0);
    }

    @Override
    public int preferredBatchSize() {
        return settings.embedBatchSize();
    }

    private record Piece(int input, String text, int tokens) {}

    private List<float[]> embed(List<String> texts, Priority priority) {
        if (texts.isEmpty()) {
            return List.of();
        }
        // A safety margin for the model's special tokens.
        int limit = Math.max(16, contextTokens() - 8);
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = Checks.notNull(texts.get(i), "texts[" + i + "]");
            for (String part : TokenEstimate.splitForEmbedder(text.isEmpty() ? " " : text, limit)) {
                pieces.add(new Piece(i, part, TokenEstimate.forEmbedder(part)));
            }
        }
        float[][] sums = new float[texts.size()][];
        int maxTokens = settings.embedBatchTokens(); // a single piece over it still goes alone
        int start = 0;
        while (start < pieces.size()) {
            int end = start;
            int tokens = 0;
            while (end < pieces.size()
                    && end - start < settings.embedBatchSize()
                    && (end == start || tokens + pieces.get(end).tokens() <= maxTokens)) {
                tokens += pieces.get(end).tokens();
                end++;
            }
            List<Piece> batch = new ArrayList<>(pieces.subList(start, end));
            List<float[]> vectors = embedBatch(batch, priority, 0);
            for (int j = 0; j < batch.size(); j++) {
                float[] v = checkDimension(vectors.get(j));
                Piece p = batch.get(j);
                float weight = p.text().length();
                float[] sum = sums[p.input()];
                if (sum == null) {
                    sum = new float[v.length];
                    sums[p.input()] = sum;
                }
                for (int k = 0; k < v.length; k++) {
                    sum[k] += weight * v[k];
                }
            }
            start = end;
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (float[] sum : sums) {
            out.add(Vectors.normalize(sum));
        }
        return out;
    }

    /**
     * Embeds {@code batch}. When Ollama says an input exceeds the context (our estimate was low for
     * that text), the pieces are retried one by one, and a piece rejected on its own is cut in half
     * -- {@code batch} is updated in place so the caller weights what was really embedded. Never
     * truncates.
     */
    private List<float[]> embedBatch(List<Piece> batch, Priority priority, int depth) {
        try {
            return client.embed(spec.model(), batch.stream().map(Piece::text).toList(), contextTokens(), priority);
        } catch (ModelRequestException e) {
            boolean tooLong = e.status() == 400
                    && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("context length");
            if (!tooLong || depth >= 6) {
                throw e;
            }
            List<Piece> replaced = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            if (batch.size() > 1) {
                for (Piece p : batch) {
                    List<Piece> one = new ArrayList<>(List.of(p));
                    vectors.addAll(embedBatch(one, priority, depth));
                    replaced.addAll(one);
                }
            } else {
                Piece p = batch.get(0);
                for (String part : TokenEstimate.splitForEmbedder(p.text(), Math.max(1, (p.tokens() + 1) / 2))) {
                    replaced.add(new Piece(p.input(), part, TokenEstimate.forEmbedder(part)));
                }
                vectors.addAll(embedBatch(replaced, priority, depth + 1));
            }
            batch.clear();
            batch.addAll(replaced);
            return vectors;
        }
    }

    private float[] checkDimension(float[] v) {
        if (dimension == 0) {
            dimension = v.length;
        } else if (v.length != dimension) {
            throw new ModelProtocolException("Ollama model " + spec.model() + " returned a " + v.length
                    + "-d vector, but its dimension is " + dimension + " (did the model behind the name change?)");
        }
        return v;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
