package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.FilterExpressions;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SearchRequest;
import dev.localrag.core.rerank.Reranker;
import dev.localrag.runtime.RagRuntime;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        description = {"Find the passages that best match a query (retrieval only, no model answer)."})
final class SearchCommand implements Callable<Integer> {

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "What to look for (words are joined).")
    List<String> query;

    @Option(names = "-k", paramLabel = "N", description = "How many passages (default: ${DEFAULT-VALUE}).")
    int k = 5;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description = "vector, keyword or hybrid (default: ${DEFAULT-VALUE}).",
            converter = SearchModeConverter.class)
    SearchMode mode = SearchMode.HYBRID;

    @Option(
            names = "--filter",
            paramLabel = "KEY=VALUE",
            description = {
                "Only passages of documents whose metadata matches, applied inside the search. Keys: path, title,"
                        + " mime_type, size, modified; author, created, language, pages when the file has them;"
                        + " or a document's extra metadata. Repeat to narrow (different"
                        + " keys) or to allow several values (same key)."
            })
    List<String> filters = new ArrayList<>();

    @Option(
            names = "--max-per-doc",
            paramLabel = "N",
            description = "At most N passages from one document (default: no limit).")
    int maxPerDocument;

    @Option(
            names = "--candidates",
            paramLabel = "N",
            description = {
                "Nearest-neighbour candidates the vector search explores (HNSW efSearch; default: "
                        + SearchRequest.DEFAULT_CANDIDATES + "). More finds the exact nearest passages more often,"
                        + " at some speed."
            })
    int candidates;

    @Mixin
    RerankOptions rerank;

    @Option(names = "--json", description = "Print {\"hits\":[{rank, path, title, chunk, score, text}, ...]}.")
    boolean json;

    /** One hit in --json output; field names are a public contract. */
    record JsonHit(int rank, String path, String title, int chunk, double score, String text) {}

    record JsonResult(List<JsonHit> hits) {}

    @Override
    public Integer call() {
        CliEnvironment environment = parent.environment();
        PhaseTimer timer = PhaseTimer.of(environment);
        RagConfig config = common.resolve(environment);
        timer.mark("config resolved");
        if (k < 1 || k > SearchRequest.MAX_K) {
            throw new ConfigurationException("-k must be from 1 to " + SearchRequest.MAX_K + ", but was " + k + ".");
        }
        if (maxPerDocument < 0) {
            throw new ConfigurationException(
                    "--max-per-doc must be 0 (no limit) or more, but was " + maxPerDocument + ".");
        }
        if (candidates < 0 || candidates > SearchRequest.MAX_CANDIDATES) {
            throw new ConfigurationException("--candidates must be between 1 and " + SearchRequest.MAX_CANDIDATES
                    + " (or 0 for the default), but was " + candidates + ".");
        }
        if (String.join(" ", query).isBlank()) {
            throw new ConfigurationException("The query is empty: give what to look for as words after `rag search`.");
        }
        SearchRequest.Builder request = SearchRequest.builder()
                .mode(mode)
                .k(k)
                .filter(FilterExpressions.parse(filters, "--filter"))
                .maxChunksPerDocument(maxPerDocument)
                .candidates(candidates);
        try (RagRuntime rag = queryRuntime(config, mode).build();
                Reranker reranker = rerank.reranker(rag)) {
            timer.mark("index opened");
            List<SearchHit> hits = rerank.apply(rag.retriever(), reranker).retrieve(String.join(" ", query), request);
            timer.mark("retrieved (" + mode.name().toLowerCase(Locale.ROOT) + ")");
            print(environment, hits);
        }
        timer.mark("printed, index closed");
        return ExitCode.OK;
    }

    private void print(CliEnvironment environment, List<SearchHit> hits) {
        PrintWriter out = environment.out();
        if (json) {
            List<JsonHit> rows = new ArrayList<>();
            for (SearchHit h : hits) {
                rows.add(new JsonHit(rows.size() + 1, h.documentId(), h.title(), h.ordinal(), h.score(), h.text()));
            }
            out.println(Json.write(new JsonResult(rows)));
            return;
        }
        if (hits.isEmpty()) {
            out.println("No matching passages.");
            return;
        }
        int rank = 0;
        for (SearchHit h : hits) {
            out.printf(
                    Locale.ROOT,
                    "%d. %s  (chunk %d, score %.4f)  %s%n",
                    ++rank,
                    environment.display(h.documentId()),
                    h.ordinal(),
                    h.score(),
                    h.title());
            out.println("   " + preview(h.text()));
        }
    }

    static String preview(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 240 ? flat : flat.substring(0, 240) + " …";
    }

    /**
     * A read-only runtime for queries in {@code mode} (search, ask, chat): unless the mode is
     * keyword, the embedding model loads while the index opens.
     */
    static RagRuntime.Builder queryRuntime(RagConfig config, SearchMode mode) {
        RagRuntime.Builder builder = RagRuntime.builder(config).readOnly();
        return mode == SearchMode.KEYWORD ? builder : builder.preloadEmbedder();
    }
}
