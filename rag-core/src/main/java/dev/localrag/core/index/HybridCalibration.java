package dev.localrag.core.index;

import dev.localrag.core.Checks;
import dev.localrag.core.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures, without judged queries, how well an index's embedder reads its documents, and from that
 * the vector weight of hybrid search ({@link IndexManifest#hybridVectorWeight()}). Up to {@link
 * #SAMPLES} chunks spread over the documents each give a pseudo-query: the middle {@link
 * #SPAN_WORDS} words of the chunk (twice as many characters for text without spaces, such as
 * Chinese), breadcrumb line left out. Each side searches for it alone; the score is the mean
 * reciprocal rank of the chunk the words came from in the top 10. Keyword search finds its own
 * words almost always (MRR ~1). An embedder that reads the language finds them too (bge-small on
 * English or on Chinese with its Chinese model: 0.92-0.95); one that does not (bge-small-en on
 * Chinese: 0.59) gets less weight, down to none, so its near-random ranking cannot reorder the
 * keyword side's near-ties:
 *
 * <pre>vector weight = 0.6 * clamp((MRR_vector / MRR_keyword - 0.6) / 0.3, 0, 1)</pre>
 *
 * <p>So a working embedder keeps the default 0.6 and an unreadable one is left out of the fusion.
 */
public final class HybridCalibration {

    /** Chunks sampled at most. */
    public static final int SAMPLES = 100;
    /** Fewer usable samples than this: no calibration. */
    public static final int MIN_SAMPLES = 20;
    /** Words of a pseudo-query. */
    public static final int SPAN_WORDS = 32;

    static final double FLOOR = 0.6;
    static final double FULL = 0.9;

    /**
     * The measurement.
     *
     * @param samples pseudo-queries searched
     * @param vectorMrr MRR@10 of the vector side
     * @param keywordMrr MRR@10 of the keyword side
     * @param vectorWeight the hybrid vector weight that follows, or NaN with too few samples
     */
    public record Result(int samples, double vectorMrr, double keywordMrr, double vectorWeight) {}

    private HybridCalibration() {}

    /** Measures {@code index} with {@code embedder} (the index's own). */
    public static Result measure(VectorIndex index, Embedder embedder) {
        Checks.notNull(index, "index");
        Checks.notNull(embedder, "embedder");
        List<SearchHit> sample = sample(index);
        double vector = 0;
        double keyword = 0;
        int n = 0;
        for (SearchHit chunk : sample) {
            String span = span(chunk.text());
            if (span == null) {
                continue;
            }
            n++;
            vector += reciprocalRank(index.search(SearchMode.VECTOR, span, embedder.embedQuery(span), 10), chunk);
            keyword += reciprocalRank(index.search(SearchMode.KEYWORD, span, null, 10), chunk);
        }
        if (n < MIN_SAMPLES) {
            return new Result(n, n == 0 ? 0 : vector / n, n == 0 ? 0 : keyword / n, Double.NaN);
        }
        return new Result(n, vector / n, keyword / n, weight(vector / n, keyword / n));
    }

    /**
     * Measures {@code index} and records the weight in its manifest, committed ({@link
     * VectorIndex#recordHybridVectorWeight}), the same on every backend; an index too small to
     * measure keeps what it had.
     */
    public static Result calibrate(VectorIndex index, Embedder embedder) {
        Result r = measure(index, embedder);
        if (!Double.isNaN(r.vectorWeight())
                && Double.compare(r.vectorWeight(), index.manifest().hybridVectorWeight()) != 0) {
            index.recordHybridVectorWeight(r.vectorWeight());
            index.commit();
        }
        return r;
    }

    /** The hybrid vector weight for a vector and keyword MRR (see the class comment). */
    static double weight(double vectorMrr, double keywordMrr) {
        double ratio = keywordMrr > 0 ? vectorMrr / keywordMrr : 1;
        double share = Math.max(0, Math.min(1, (ratio - FLOOR) / (FULL - FLOOR)));
        return HybridFusion.DEFAULT.vectorWeight() * share;
    }

    /** Up to {@link #SAMPLES} chunks, spread evenly over the documents (sorted by id), the middle chunk of each. */
    private static List<SearchHit> sample(VectorIndex index) {
        Map<String, SourceDocument> documents = new TreeMap<>(index.documents());
        List<String> ids = new ArrayList<>(documents.keySet());
        List<SearchHit> out = new ArrayList<>();
        int step = Math.max(1, ids.size() / SAMPLES);
        for (int i = 0; i < ids.size() && out.size() < SAMPLES; i += step) {
            List<SearchHit> chunks = index.chunks(ids.get(i));
            if (!chunks.isEmpty()) {
                out.add(chunks.get(chunks.size() / 2));
            }
        }
        return out;
    }

    /** The middle {@link #SPAN_WORDS} words of a chunk of at least 1.5 times as many, or null. */
    static String span(String text) {
        String[] lines = text.split("\n", -1);
        String body = (lines.length > 2 && lines[1].isBlank()
                        ? String.join("\n", java.util.Arrays.copyOfRange(lines, 2, lines.length))
                        : text)
                .strip();
        String[] words = body.split("\\s+");
        if (words.length >= SPAN_WORDS + SPAN_WORDS / 2) {
            int from = (words.length - SPAN_WORDS) / 2;
            return String.join(" ", java.util.Arrays.copyOfRange(words, from, from + SPAN_WORDS));
        }
        if (words.length < SPAN_WORDS / 2 && body.length() >= 4 * SPAN_WORDS) { // unspaced text (Chinese, ...)
            int len = 2 * SPAN_WORDS;
            int from = (body.length() - len) / 2;
            return body.substring(from, from + len);
        }
        return null;
    }

    private static double reciprocalRank(List<SearchHit> hits, SearchHit target) {
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            if (h.documentId().equals(target.documentId()) && h.ordinal() == target.ordinal()) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }
}
