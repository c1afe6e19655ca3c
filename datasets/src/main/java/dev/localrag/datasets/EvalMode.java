package dev.localrag.datasets;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.index.HybridFusion;
import dev.localrag.core.index.SearchMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A retrieval setting to evaluate: one of the index's own search modes ({@code keyword}, {@code
 * vector}, {@code hybrid}), or a fusion experiment: the index's vector and keyword rankings (per
 * document, at its best chunk) merged here by a {@link HybridFusion} ({@code rrf:K[:W]}, {@code
 * convex:W}, {@code zscore:W}; see {@link HybridFusion#parse}).
 *
 * @param name as given, e.g. {@code convex:0.6}
 * @param searchMode the index mode for {@code keyword|vector|hybrid}, else null
 * @param fusion the experiment's fusion, else null
 * @param rerank whether the index mode's top passages are reranked ({@code keyword+rerank},
 *     {@code vector+rerank}, {@code hybrid+rerank}; needs a reranker)
 */
public record EvalMode(String name, SearchMode searchMode, HybridFusion fusion, boolean rerank) {

    public static final List<EvalMode> ALL =
            List.of(index(SearchMode.KEYWORD), index(SearchMode.VECTOR), index(SearchMode.HYBRID));

    static EvalMode index(SearchMode mode) {
        return new EvalMode(mode.toString(), mode, null, false);
    }

    /** Whether the mode needs query embeddings. */
    public boolean usesVectors() {
        return searchMode != SearchMode.KEYWORD;
    }

    /**
     * A comma-separated list: {@code all}, {@code keyword}, {@code vector}, {@code hybrid}, {@code
     * rrf:K[:W]}, {@code convex:W}, {@code zscore:W}; an index mode with {@code +rerank}.
     */
    public static List<EvalMode> parseList(String spec) {
        LinkedHashSet<EvalMode> out = new LinkedHashSet<>();
        for (String part : (spec == null ? "" : spec).split(",")) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            if (p.equals("all")) {
                out.addAll(ALL);
            } else {
                out.add(parse(p));
            }
        }
        if (out.isEmpty()) {
            throw new ConfigurationException("--mode is empty. Use keyword, vector, hybrid or all.");
        }
        return new ArrayList<>(out);
    }

    public static EvalMode parse(String spec) {
        String p = spec.strip().toLowerCase(Locale.ROOT);
        if (p.endsWith("+rerank")) {
            EvalMode base = parse(p.substring(0, p.length() - "+rerank".length()));
            if (base.searchMode() == null) {
                throw new ConfigurationException("--mode \"" + spec + "\": only keyword, vector and hybrid can be"
                        + " reranked (keyword+rerank, vector+rerank, hybrid+rerank).");
            }
            return new EvalMode(p, base.searchMode(), base.fusion(), true);
        }
        switch (p) {
            case "keyword", "vector", "hybrid" -> {
                return index(SearchMode.parse(p));
            }
            default -> {
                // experiments below
            }
        }
        try {
            return new EvalMode(p, null, HybridFusion.parse(p), false);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(
                    "--mode \"" + spec + "\" is not understood. Use keyword, vector, hybrid or"
                            + " all; experiments: rrf:K[:W] (K >= 1, vector weight W in 0..1), convex:W or zscore:W"
                            + " (0..1).",
                    e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
