package dev.localrag.core.rerank;

import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.answer.Generator;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Makes the reranker a {@code --rerank} spec names. */
public final class Rerankers {

    /** What {@link #parse} accepts, for messages and help. */
    public static final String FORMS = "MODEL@URL (a /v1/rerank server: llama.cpp, vLLM, TEI, Infinity),"
            + " onnx:PATH (a cross-encoder ONNX model with its tokenizer.json) or chat (the chat model ranks the"
            + " passages)";

    private Rerankers() {}

    /**
     * Checks the arguments of a {@link Reranker#score} call, for every implementation alike.
     *
     * @return whether there is nothing to score ({@code documents} is empty)
     * @throws IllegalArgumentException naming {@code query} or {@code documents} when it is null
     */
    static boolean nothingToScore(String query, List<String> documents) {
        Checks.notNull(query, "query");
        Checks.notNull(documents, "documents");
        return documents.isEmpty();
    }

    /**
     * {@code MODEL@URL} ({@link HttpReranker}), {@code onnx:PATH} ({@link OnnxReranker}) or {@code
     * chat} ({@link ChatReranker} over {@code chat}'s model).
     *
     * @param timeout how long one request to a reranking server may take
     * @param chat the chat model, asked for only by {@code chat}; null where there is none
     * @throws ConfigurationException naming the spec and the accepted forms
     */
    public static Reranker parse(String spec, Duration timeout, Supplier<Generator> chat) {
        String s = spec == null ? "" : spec.strip();
        if (s.equals("chat")) {
            if (chat == null) {
                throw new ConfigurationException("--rerank chat needs a chat model, which this command does not use."
                        + " Use MODEL@URL or onnx:PATH here.");
            }
            return new ChatReranker(chat.get());
        }
        if (s.startsWith("onnx:")) {
            return OnnxReranker.parse(s);
        }
        if (s.contains("@")) {
            return HttpReranker.parse(s, timeout);
        }
        throw new ConfigurationException("Reranker \"" + spec + "\" is not understood. Use " + FORMS + ".");
    }
}
