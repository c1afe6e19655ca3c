package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.rerank.Reranker;
import dev.localrag.core.rerank.Rerankers;
import dev.localrag.core.retrieval.Retriever;
import dev.localrag.runtime.RagRuntime;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --rerank SPEC} and {@code --rerank-candidates N}, for search, ask, chat and eval. */
final class RerankOptions {

    /** How long one rerank request may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Option(
            names = "--rerank",
            paramLabel = "SPEC",
            description = "Rerank the retrieved passages: MODEL@URL (a cross-encoder behind a /v1/rerank server:"
                    + " llama.cpp, vLLM, TEI, Infinity; Cohere/Jina shape, e.g."
                    + " bge-reranker-v2-m3@http://localhost:8080), onnx:PATH (a cross-encoder ONNX model with its"
                    + " tokenizer.json, in-process) or chat (the chat model orders the passages). Off by default.")
    String spec;

    @Option(
            names = "--rerank-candidates",
            paramLabel = "N",
            description = "Passages retrieved for the reranker to choose from (default: "
                    + Retriever.DEFAULT_RERANK_CANDIDATES + ").")
    int candidates = Retriever.DEFAULT_RERANK_CANDIDATES;

    /** The reranker asked for, or null when --rerank was not given; {@code chat} is refused (no chat model). */
    Reranker reranker() {
        checkCandidates();
        return spec == null ? null : Rerankers.parse(spec, TIMEOUT, null);
    }

    /** The reranker asked for, or null when --rerank was not given; {@code chat} uses {@code rag}'s chat model. */
    Reranker reranker(RagRuntime rag) {
        checkCandidates();
        return spec == null ? null : rag.reranker(spec, TIMEOUT);
    }

    private void checkCandidates() {
        if (candidates < 1) {
            throw new ConfigurationException("--rerank-candidates must be at least 1, but was " + candidates + ".");
        }
    }

    Retriever apply(Retriever retriever, Reranker reranker) {
        return reranker == null ? retriever : retriever.reranking(reranker, candidates);
    }
}
