package dev.localrag.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.localrag.datasets.AnswerResult;
import dev.localrag.datasets.EvalReport;
import dev.localrag.datasets.ModeResult;
import java.util.List;

/** {@code rag eval --json} output; field names are a public contract. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EvalJson(
        String dataset,
        int documents,
        int queries,
        @JsonProperty("skipped_empty") int skippedEmpty,
        String embedder,
        String chunking,
        Index index,
        List<Mode> modes,
        @JsonProperty("hybrid_vs_best_part") HybridVsBest hybridVsBestPart,
        Answers answers) {

    record HybridVsBest(
            @JsonProperty("best_part") String bestPart,
            @JsonProperty("best_part_ndcg_at_k") double bestPartNdcg,
            @JsonProperty("hybrid_ndcg_at_k") double hybridNdcg,
            double delta) {}

    record Index(
            String dir,
            boolean reused,
            int passages,
            @JsonProperty("build_ms") long buildMillis,
            @JsonProperty("embed_ms") long embedMillis,
            @JsonProperty("hybrid_vector_weight") Double hybridVectorWeight) {}

    record Mode(
            String mode,
            int queries,
            int k,
            @JsonProperty("ndcg_at_k") double ndcg,
            @JsonProperty("recall_at_k") double recall,
            @JsonProperty("recall_at_100") double recall100,
            @JsonProperty("mrr_at_k") double mrr,
            @JsonProperty("query_ms_total") long queryMillis,
            @JsonProperty("query_ms_mean") double queryMillisMean) {}

    record Answers(
            String model,
            int questions,
            @JsonProperty("exact_match") double exactMatch,
            @JsonProperty("token_f1") double tokenF1,
            @JsonProperty("contains_gold") double containsGold,
            @JsonProperty("citation_precision") double citationPrecision,
            @JsonProperty("citing_answers") int citingAnswers,
            @JsonProperty("not_found_rate") double notFoundRate,
            @JsonProperty("answer_ms_total") long millis) {}

    static EvalJson of(EvalReport r) {
        EvalReport.IndexInfo i = r.index();
        AnswerResult a = r.answers();
        return new EvalJson(
                r.dataset(),
                r.documents(),
                r.queries(),
                r.skippedEmpty(),
                r.embedder(),
                r.chunking(),
                new Index(
                        i.dir(),
                        i.reused(),
                        i.passages(),
                        i.buildMillis(),
                        i.embedMillis(),
                        Double.isNaN(i.hybridVectorWeight()) ? null : i.hybridVectorWeight()),
                r.modes().stream().map(EvalJson::mode).toList(),
                r.hybridVsBestPart()
                        .map(h -> new HybridVsBest(h.bestPart(), h.bestPartNdcg(), h.hybridNdcg(), h.delta()))
                        .orElse(null),
                a == null
                        ? null
                        : new Answers(
                                a.model(),
                                a.questions(),
                                a.exactMatch(),
                                a.tokenF1(),
                                a.containsGold(),
                                a.citationPrecision(),
                                a.citingAnswers(),
                                a.notFoundRate(),
                                a.millis()));
    }

    private static Mode mode(ModeResult m) {
        return new Mode(
                m.mode(),
                m.queries(),
                m.k(),
                m.ndcg(),
                m.recall(),
                m.recall100(),
                m.mrr(),
                m.queryMillis(),
                m.meanQueryMillis());
    }
}
