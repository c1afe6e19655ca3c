package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.OllamaGenerator;
import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.embed.Embedders;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.ollama.OllamaStatus;
import dev.localrag.core.rerank.Reranker;
import dev.localrag.core.retrieval.Retriever;
import dev.localrag.datasets.AnswerEvaluator;
import dev.localrag.datasets.AnswerResult;
import dev.localrag.datasets.BeirDataset;
import dev.localrag.datasets.EvalIndex;
import dev.localrag.datasets.EvalMode;
import dev.localrag.datasets.EvalReport;
import dev.localrag.datasets.KeywordOnlyEmbedder;
import dev.localrag.datasets.ModeResult;
import dev.localrag.datasets.PassageLayout;
import dev.localrag.datasets.RetrievalEvaluator;
import java.io.PrintWriter;
import java.nio.file.Path;
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
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Measure retrieval (and optionally answer) quality on a dataset in the BEIR layout:"
                    + " DIR/corpus.jsonl, DIR/queries.jsonl, DIR/qrels/test.tsv (and DIR/answers.jsonl for --answers).",
            "The corpus is indexed once per embedder and chunking and the index reused from the cache folder.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  rag eval datasets/scifact --mode keyword",
            "  rag eval datasets/scifact                 all modes, in-process embedder",
            "  rag eval datasets/scifact --mode hybrid,convex:0.5,rrf:20 --json",
            "  rag eval datasets/cmrc2018-trial --answers --limit 50"
        })
final class EvalCommand implements Callable<Integer> {

    @ParentCommand
    RagCommand parent;

    @Parameters(paramLabel = "DIR", description = "Dataset folder in the BEIR layout.")
    Path dir;

    @Option(
            names = "--mode",
            paramLabel = "MODE[,MODE...]",
            description = "keyword, vector, hybrid or all (default: ${DEFAULT-VALUE}). Fusion experiments computed"
                    + " from the vector and keyword rankings: rrf:K[:W] (weighted reciprocal rank fusion),"
                    + " convex:ALPHA (min-max normalised scores, ALPHA on the vector side), zscore:ALPHA (z-scored).")
    String mode = "all";

    @Option(
            names = "--embedder",
            paramLabel = "SPEC",
            description = "Embedding model (default: the config file's embedder, else onnx:bge-small-en-v1.5).")
    String embedder;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Config file (default: $LOCALRAG_CONFIG, else ~/.config/localrag/config.yaml if present).")
    Path config;

    @Option(
            names = "--k",
            paramLabel = "N",
            description = "Cutoff of nDCG, Recall and MRR, 1..100 (default: ${DEFAULT-VALUE}); Recall@100 is"
                    + " always reported.")
    int k = 10;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N judged queries.")
    Integer limit;

    @Option(
            names = "--chunking",
            paramLabel = "LAYOUT",
            description = "whole (one passage per document, title + text embedded, as BEIR does) or"
                    + " recursive:MAX/OVERLAP (LocalRAG's chunker, tokens) (default: ${DEFAULT-VALUE}).")
    String chunking = "whole";

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Where eval indexes and passage vectors are kept (default: $XDG_CACHE_HOME/localrag/eval,"
                    + " else ~/.cache/localrag/eval).")
    Path cache;

    @Option(
            names = "--answers",
            description = "Also ask every question with gold answers (DIR/answers.jsonl) through the Ollama chat"
                    + " model and score the answers. Needs Ollama.")
    boolean answers;

    @Option(
            names = "--answer-mode",
            paramLabel = "MODE",
            description = "Retrieval for --answers: vector, keyword or hybrid (default: ${DEFAULT-VALUE}).",
            converter = SearchModeConverter.class)
    SearchMode answerMode = SearchMode.HYBRID;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            description =
                    "Ollama chat model for --answers (default: the config's, else qwen3:4b-instruct-2507-q4_K_M).")
    String model;

    @Mixin
    RerankOptions rerank;

    @Option(
            names = "--json",
            description = "Print one JSON object: {dataset, documents, queries, skipped_empty, embedder, chunking,"
                    + " index:{...}, modes:[{mode, k, ndcg_at_k, recall_at_k, recall_at_100, mrr_at_k, ...}],"
                    + " answers:{...}}.")
    boolean json;

    @Override
    public Integer call() {
        CliEnvironment environment = parent.environment();
        PrintWriter err = environment.err();
        if (k < 1 || k > 100) {
            throw new ConfigurationException("--k must be between 1 and 100, but was " + k + ".");
        }
        if (limit != null && limit < 1) {
            throw new ConfigurationException("--limit must be at least 1, but was " + limit + ".");
        }
        List<EvalMode> modes = EvalMode.parseList(mode);
        PassageLayout layout = PassageLayout.parse(chunking);
        RagConfig rag = new ConfigLoader(environment.env(), environment.home()).load(config);
        if (model != null) {
            rag = rag.withOllama(rag.ollama().withChatModel(model));
        }
        EmbedderSpec spec = EmbedderSpec.parse(
                embedder != null ? embedder : rag.embedderSpec().orElse(EmbedderSpec.DEFAULT_ONNX.toString()));
        Path resolvedDir = environment.cwd().resolve(dir).toAbsolutePath().normalize();
        BeirDataset dataset = BeirDataset.load(resolvedDir);
        if (answers) {
            checkAnswersPossible(dataset, rag);
        }
        if (limit != null) {
            dataset = dataset.limitQueries(limit);
        }
        Path cacheDir = cache != null ? environment.cwd().resolve(cache) : defaultCache(environment);
        Reranker reranker = rerank.reranker();
        if (reranker != null && modes.stream().noneMatch(EvalMode::rerank)) {
            modes.add(EvalMode.parse("hybrid+rerank")); // --rerank alone: the default mode, reranked
        }
        if (reranker == null && modes.stream().anyMatch(EvalMode::rerank)) {
            throw new ConfigurationException("--mode " + mode + " reranks: pass --rerank MODEL@URL.");
        }
        // keyword-only runs need no model: the index gets placeholder vectors and is cached as such
        boolean keywordOnly = !answers && modes.stream().noneMatch(EvalMode::usesVectors);
        String embedderName = keywordOnly ? "none (keyword only)" : spec.toString();
        try (Embedder emb = keywordOnly ? new KeywordOnlyEmbedder() : Embedders.create(spec, rag.ollama());
                EvalIndex index = EvalIndex.openOrBuild(dataset, emb, layout, cacheDir, err::println)) {
            RetrievalEvaluator evaluator =
                    new RetrievalEvaluator(index.index(), emb, k, layout.equals(PassageLayout.WHOLE) ? 1 : 4);
            if (reranker != null) {
                evaluator.reranking(reranker, rerank.candidates);
            }
            List<ModeResult> results = new ArrayList<>();
            for (EvalMode m : modes) {
                results.add(evaluator.evaluate(m, dataset.queries()));
            }
            AnswerResult answerResult = null;
            if (answers) {
                String chatModel = rag.ollama().chatModel().toString();
                AnswerService service = new AnswerService(
                        new Retriever(index.index(), emb),
                        new OllamaGenerator(rag.ollama(), rag.answer().contextTokens()),
                        "",
                        rag.answer());
                answerResult = new AnswerEvaluator(service, chatModel, answerMode, rag.topK())
                        .evaluate(dataset.queries(), err::println);
            }
            EvalReport report = new EvalReport(
                    dataset.name(),
                    dataset.corpus().size(),
                    dataset.queries().size(),
                    dataset.skippedEmpty(),
                    embedderName,
                    layout.toString(),
                    new EvalReport.IndexInfo(
                            index.index().location(),
                            index.reused(),
                            index.passages(),
                            index.buildMillis(),
                            index.embedMillis(),
                            index.index().manifest().hybridVectorWeight()),
                    results,
                    answerResult);
            if (json) {
                environment.out().println(Json.write(EvalJson.of(report)));
            } else {
                printTable(environment.out(), report);
            }
        }
        return ExitCode.OK;
    }

    private static void checkAnswersPossible(BeirDataset dataset, RagConfig rag) {
        if (!dataset.hasAnswers()) {
            throw new ConfigurationException(
                    "--answers needs gold answers in " + dataset.dir().resolve(BeirDataset.ANSWERS)
                            + " ({\"_id\": QUERY_ID, \"answers\": [\"...\"]} per line); this dataset has none.");
        }
        String chatModel = rag.ollama().chatModel().toString();
        OllamaStatus status = new OllamaProbe(rag.ollama()).check();
        if (!status.reachable()) {
            throw new ModelUnavailableException("Answer evaluation needs Ollama, which is not running at "
                    + status.baseUrl() + ": start it with `ollama serve` (or set OLLAMA_HOST) and `ollama pull "
                    + chatModel + "`. Retrieval evaluation works without it: drop --answers.");
        }
        if (!status.hasModel(chatModel)) {
            throw new ModelUnavailableException("Answer evaluation needs the chat model " + chatModel
                    + ", which Ollama at " + status.baseUrl() + " does not have: run `ollama pull " + chatModel
                    + "` or pick one with --model.");
        }
    }

    private static Path defaultCache(CliEnvironment environment) {
        String xdg = environment.env().get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : environment.home().resolve(".cache");
        return base.resolve("localrag").resolve("eval");
    }

    static void printTable(PrintWriter out, EvalReport r) {
        out.printf(
                Locale.ROOT,
                "%s: %d documents, %d queries (%d with empty text skipped); embedder %s, chunking %s%n",
                r.dataset(),
                r.documents(),
                r.queries(),
                r.skippedEmpty(),
                r.embedder(),
                r.chunking());
        EvalReport.IndexInfo i = r.index();
        if (i.reused()) {
            out.printf(Locale.ROOT, "index: reused %s (%d passages)%n", i.dir(), i.passages());
        } else {
            out.printf(
                    Locale.ROOT,
                    "index: built %s (%d passages) in %.1f s, embedding %.1f s%n",
                    i.dir(),
                    i.passages(),
                    i.buildMillis() / 1000.0,
                    i.embedMillis() / 1000.0);
        }
        out.println(
                Double.isNaN(i.hybridVectorWeight())
                        ? "hybrid vector weight: 0.6 (default: the index is too small to calibrate)"
                        : String.format(
                                Locale.ROOT, "hybrid vector weight: %.3f (calibrated)", i.hybridVectorWeight()));
        out.println();
        int k = r.modes().isEmpty() ? 10 : r.modes().get(0).k();
        int width = Math.max(
                8, r.modes().stream().mapToInt(m -> m.mode().length()).max().orElse(4));
        String kk = "@" + k;
        out.printf(
                Locale.ROOT,
                "%-" + width + "s  %9s  %10s  %10s  %8s  %9s  %12s%n",
                "mode",
                "nDCG" + kk,
                "Recall" + kk,
                "Recall@100",
                "MRR" + kk,
                "queries",
                "ms/query");
        for (ModeResult m : r.modes()) {
            out.printf(
                    Locale.ROOT,
                    "%-" + width + "s  %9.4f  %10.4f  %10.4f  %8.4f  %9d  %12.1f%n",
                    m.mode(),
                    m.ndcg(),
                    m.recall(),
                    m.recall100(),
                    m.mrr(),
                    m.queries(),
                    m.meanQueryMillis());
        }
        r.hybridVsBestPart()
                .ifPresent(h -> out.printf(
                        Locale.ROOT,
                        "%nhybrid vs best part (%s): nDCG%s %.4f vs %.4f, %+.4f%s%n",
                        h.bestPart(),
                        kk,
                        h.hybridNdcg(),
                        h.bestPartNdcg(),
                        h.delta(),
                        h.delta() < 0 ? " (hybrid is worse)" : ""));
        AnswerResult a = r.answers();
        if (a != null) {
            out.println();
            out.printf(
                    Locale.ROOT,
                    "answers (%s, %d questions, %.1f s): exact match %.4f, token F1 %.4f, contains gold %.4f,"
                            + " citation precision %.4f (%d answers cite), not found %.4f%n",
                    a.model(),
                    a.questions(),
                    a.millis() / 1000.0,
                    a.exactMatch(),
                    a.tokenF1(),
                    a.containsGold(),
                    a.citationPrecision(),
                    a.citingAnswers(),
                    a.notFoundRate());
        }
    }
}
