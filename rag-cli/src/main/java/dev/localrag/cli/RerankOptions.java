package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.rerank.HttpReranker;
import dev.localrag.core.rerank.Reranker;
import dev.localrag.core.retrieval.Retriever;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --rerank MODEL@URL} and {@code --rerank-candidates N}, for search and eval. */
final class RerankOptions {

    /** How long one rerank request may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Option(
            names = "--rerank",
            paramLabel = "MODEL@URL",
            description = "Rerank the retrieved passages with a cross-encoder behind a /v1/rerank server (llama.cpp,"
                    + " vLLM, Infinity; Cohere/Jina shape), e.g. bge-reranker-v2-m3@http://localhost:8080."
                    + " Off by default.")
    String spec;

    @Option(
            names = "--rerank-candidates",
            paramLabel = "N",
            description = "Passages retrieved for the reranker to choose from (default: "
                    + Retriever.DEFAULT_RERANK_CANDIDATES + ").")
    int candidates = Retriever.DEFAULT_RERANK_CANDIDATES;

    /** The reranker asked for, or null when --rerank was not given. */
    Reranker reranker() {
        if (candidates < 1) {
            throw new ConfigurationException("--rerank-candidates must be at least 1, but was " + candidates + ".");
        }
        return spec == null ? null : HttpReranker.parse(spec, TIMEOUT);
    }

    Retriever apply(Retriever retriever, Reranker reranker) {
        return reranker == null ? retriever : retriever.reranking(reranker, candidates);
    }
}
