package dev.localrag.datasets;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.index.SearchMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A retrieval setting to evaluate: one of the index's own search modes ({@code keyword}, {@code
 * vector}, {@code hybrid}), or a fusion experiment computed here from the index's vector and
 * keyword rankings: {@code rrf:K[:W]} (reciprocal rank fusion with constant K, vector weight W,
 * default 0.5), {@code convex:ALPHA} (min-max normalised scores, ALPHA on the vector side) or
 * {@code zscore:ALPHA} (z-scored scores).
 *
 * @param name as given, e.g. {@code convex:0.6}
 * @param searchMode the index mode for {@code keyword|vector|hybrid}, else null
 * @param fusion {@code rrf}, {@code convex} or {@code zscore} for an experiment, else null
 * @param constant RRF's k
 * @param weight RRF's vector weight or the convex alpha
 */
public record EvalMode(String name, SearchMode searchMode, String fusion, int constant, double weight) {

    public static final List<EvalMode> ALL =
            List.of(index(SearchMode.KEYWORD), index(SearchMode.VECTOR), index(SearchMode.HYBRID));

    static EvalMode index(SearchMode mode) {
        return new EvalMode(mode.toString(), mode, null, 0, 0);
    }

    /** Whether the mode needs query embeddings. */
    public boolean usesVectors() {
        return searchMode != SearchMode.KEYWORD;
    }

    /** A comma-separated list: {@code all}, {@code keyword}, {@code vector}, {@code hybrid}, {@code rrf:K[:W]}, {@code convex:ALPHA}. */
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
        switch (p) {
            case "keyword", "vector", "hybrid" -> {
                return index(SearchMode.parse(p));
            }
            default -> {
                // experiments below
            }
        }
        String[] parts = p.split(":");
        try {
            if (parts[0].equals("rrf") && (parts.length == 2 || parts.length == 3)) {
                int k = Integer.parseInt(parts[1]);
                double w = parts.length == 3 ? Double.parseDouble(parts[2]) : 0.5;
                if (k >= 1 && w >= 0 && w <= 1) {
                    return new EvalMode(p, null, "rrf", k, w);
                }
            } else if ((parts[0].equals("convex") || parts[0].equals("zscore")) && parts.length == 2) {
                double alpha = Double.parseDouble(parts[1]);
                if (alpha >= 0 && alpha <= 1) {
                    return new EvalMode(p, null, parts[0], 0, alpha);
                }
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new ConfigurationException(
                "--mode \"" + spec + "\" is not understood. Use keyword, vector, hybrid or"
                        + " all; experiments: rrf:K[:W] (K >= 1, vector weight W in 0..1), convex:ALPHA or zscore:ALPHA (0..1).");
    }

    @Override
    public String toString() {
        return name;
    }
}
