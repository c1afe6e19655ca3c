package dev.localrag.core.rerank;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.scoring.onnx.OnnxScoringModel;
import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.LocalRagException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cross-encoder reranker run in-process from an ONNX model on the user's disk (LangChain4j's
 * {@link OnnxScoringModel}): a BERT-style model that reads query and passage together and gives one
 * relevance logit ({@code input_ids}, {@code attention_mask}, optionally {@code token_type_ids} in;
 * {@code [batch, 1]} out), e.g. an ONNX export of ms-marco-MiniLM-L-6-v2 or bge-reranker-base, with
 * its Hugging Face {@code tokenizer.json}. Spec {@code onnx:PATH}: PATH is the {@code .onnx} file
 * with {@code tokenizer.json} beside it, or a folder holding {@code model.onnx} and {@code
 * tokenizer.json}.
 */
public final class OnnxReranker implements Reranker {

    /** Tokens of query and passage together that the model reads; longer pairs are cut. */
    public static final int MAX_TOKENS = 512;

    private final Path model;
    private final OnnxScoringModel scoring;

    public OnnxReranker(Path model, Path tokenizer) {
        this.model = Checks.notNull(model, "model");
        Checks.notNull(tokenizer, "tokenizer");
        try {
            this.scoring = new OnnxScoringModel(model.toString(), tokenizer.toString(), MAX_TOKENS);
        } catch (RuntimeException e) {
            throw new ConfigurationException(
                    "Cannot load the reranking model " + model + " with tokenizer " + tokenizer + ": "
                            + rootMessage(e) + ". Give a cross-encoder exported to ONNX (inputs input_ids,"
                            + " attention_mask; one logit per pair) and its tokenizer.json.",
                    e);
        }
    }

    /**
     * {@code onnx:PATH}: a model file with {@code tokenizer.json} in its folder, or a folder with
     * {@code model.onnx} and {@code tokenizer.json}.
     *
     * @throws ConfigurationException naming the missing file
     */
    public static OnnxReranker parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        if (!s.startsWith("onnx:") || s.length() == "onnx:".length()) {
            throw new ConfigurationException(
                    "Reranker \"" + spec + "\" is not understood. Use onnx:PATH (a cross-encoder .onnx file with"
                            + " tokenizer.json beside it, or a folder holding model.onnx and tokenizer.json).");
        }
        Path path = Path.of(s.substring("onnx:".length()));
        Path model = Files.isDirectory(path) ? path.resolve("model.onnx") : path;
        Path folder = model.toAbsolutePath().getParent();
        Path tokenizer = folder == null ? Path.of("tokenizer.json") : folder.resolve("tokenizer.json");
        if (!Files.isRegularFile(model)) {
            throw new ConfigurationException("Reranking model " + model + " does not exist. Give the path of a"
                    + " cross-encoder exported to ONNX, or a folder holding model.onnx and tokenizer.json.");
        }
        if (!Files.isRegularFile(tokenizer)) {
            throw new ConfigurationException("The reranking model " + model + " has no tokenizer.json beside it ("
                    + tokenizer + "). Put the model's Hugging Face tokenizer.json there.");
        }
        return new OnnxReranker(model, tokenizer);
    }

    @Override
    public List<Ranked> score(String query, List<String> documents) {
        if (Rerankers.nothingToScore(query, documents)) {
            return List.of();
        }
        List<Double> scores;
        try {
            scores = scoring.scoreAll(documents.stream().map(TextSegment::from).toList(), query)
                    .content();
        } catch (RuntimeException e) {
            throw new LocalRagException("Reranking with " + model + " failed: " + rootMessage(e), e);
        }
        if (scores.size() != documents.size()) {
            throw new LocalRagException("Reranking with " + model + " gave " + scores.size() + " scores for "
                    + documents.size() + " passages. Is it a cross-encoder with one logit per pair?");
        }
        List<Ranked> out = new ArrayList<>(scores.size());
        for (int i = 0; i < scores.size(); i++) {
            out.add(new Ranked(i, scores.get(i)));
        }
        out.sort((a, b) -> Double.compare(b.relevance(), a.relevance()));
        return out;
    }

    @Override
    public String describe() {
        return "onnx:" + model;
    }

    @Override
    public void close() {
        scoring.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
