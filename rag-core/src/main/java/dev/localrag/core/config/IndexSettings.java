package dev.localrag.core.config;

import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexMismatchException;
import dev.localrag.core.index.TextAnalysis;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.index.VectorFormat.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a new index is built: its vector format and its BM25 text analysis. These are fixed when an
 * index is created and recorded in its {@link IndexManifest}.
 *
 * <p>Each part is null when nobody asked for it: a new index then gets the default ({@link
 * VectorFormat#DEFAULT}, {@link TextAnalysis#AUTO}), an existing index keeps its own. A part that
 * was asked for (by a flag, the config file or the Java API) and differs from an existing index's
 * is an error ({@link #checkExisting}), never silently ignored.
 *
 * @param encoding how vectors are encoded for the graph search ({@code index.vectorFormat})
 * @param maxConn HNSW neighbours per node ({@code index.maxConn})
 * @param beamWidth HNSW candidates considered while building ({@code index.beamWidth})
 * @param oversample candidates searched per hit wanted before exact rescoring, for quantized
 *     encodings ({@code index.oversample}; default per encoding)
 * @param textAnalysis the BM25 analysis ({@code index.textAnalysis})
 */
public record IndexSettings(
        Encoding encoding, Integer maxConn, Integer beamWidth, Integer oversample, TextAnalysis textAnalysis) {

    /** Nothing asked for: today's defaults for a new index, an existing index's own settings. */
    public static final IndexSettings DEFAULT = new IndexSettings(null, null, null, null, null);

    /**
     * The names under which a user gives these settings, for error messages.
     *
     * @param vectorFormat the key or flag of the encoding
     * @param maxConn the key or flag of {@link IndexSettings#maxConn()}
     * @param beamWidth the key or flag of {@link IndexSettings#beamWidth()}
     * @param oversample the key or flag of {@link IndexSettings#oversample()}
     * @param textAnalysis the key or flag of the text analysis
     */
    public record Keys(String vectorFormat, String maxConn, String beamWidth, String oversample, String textAnalysis) {
        /** The config file's keys. */
        public static final Keys CONFIG = new Keys(
                "index.vectorFormat", "index.maxConn", "index.beamWidth", "index.oversample", "index.textAnalysis");
    }

    public IndexSettings {
        validate(Keys.CONFIG, encoding, maxConn, beamWidth, oversample);
    }

    /**
     * Reads settings given as text (config file values or flags); null means "not asked for".
     *
     * @throws ConfigurationException naming the key (from {@code keys}), the bad value and the
     *     allowed values
     */
    public static IndexSettings parse(
            Keys keys,
            String vectorFormat,
            Integer maxConn,
            Integer beamWidth,
            Integer oversample,
            String textAnalysis) {
        try {
            Encoding encoding = vectorFormat == null ? null : Encoding.parse(vectorFormat, keys.vectorFormat());
            TextAnalysis analysis = textAnalysis == null ? null : TextAnalysis.parse(textAnalysis, keys.textAnalysis());
            validate(keys, encoding, maxConn, beamWidth, oversample);
            return new IndexSettings(encoding, maxConn, beamWidth, oversample, analysis);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /** {@code format} asked for as a whole: encoding, graph parameters and oversampling. */
    public IndexSettings withVectorFormat(VectorFormat format) {
        return new IndexSettings(
                format.encoding(), format.maxConn(), format.beamWidth(), format.oversample(), textAnalysis);
    }

    public IndexSettings withTextAnalysis(TextAnalysis analysis) {
        return new IndexSettings(encoding, maxConn, beamWidth, oversample, analysis);
    }

    /**
     * These settings with every part {@code higher} asks for replacing this one's (flags over the
     * config file). An oversampling given here is dropped when {@code higher} switches to another
     * encoding without giving its own: the default oversampling depends on the encoding.
     */
    public IndexSettings overriddenBy(IndexSettings higher) {
        boolean otherEncoding = higher.encoding != null && higher.encoding != encoding;
        Integer over = higher.oversample != null ? higher.oversample : otherEncoding ? null : oversample;
        return new IndexSettings(
                higher.encoding != null ? higher.encoding : encoding,
                higher.maxConn != null ? higher.maxConn : maxConn,
                higher.beamWidth != null ? higher.beamWidth : beamWidth,
                over,
                higher.textAnalysis != null ? higher.textAnalysis : textAnalysis);
    }

    /**
     * The vector format of a new index: the parts asked for, defaults for the rest.
     *
     * @throws ConfigurationException when an oversampling is asked for float32 vectors
     */
    public VectorFormat newVectorFormat() {
        Encoding e = encoding != null ? encoding : VectorFormat.DEFAULT.encoding();
        VectorFormat format = VectorFormat.of(e);
        try {
            return new VectorFormat(
                    e,
                    maxConn != null ? maxConn : format.maxConn(),
                    beamWidth != null ? beamWidth : format.beamWidth(),
                    oversample != null ? oversample : format.oversample());
        } catch (IllegalArgumentException ex) {
            throw new ConfigurationException("An oversampling of " + oversample + " (--oversample or "
                    + Keys.CONFIG.oversample() + ") needs a quantized vector format (int8, int4 or bbq: --vector-format"
                    + " or " + Keys.CONFIG.vectorFormat() + "); float32 vectors are searched exactly.");
        }
    }

    /** The text analysis of a new index: the one asked for, else {@link TextAnalysis#AUTO}. */
    public TextAnalysis newTextAnalysis() {
        return textAnalysis != null ? textAnalysis : TextAnalysis.AUTO;
    }

    /** Each part asked for that {@code existing} was built differently with, as "asked (index has ...)". */
    public List<String> conflicts(IndexManifest existing) {
        VectorFormat has = existing.vectorFormat();
        List<String> out = new ArrayList<>();
        if (encoding != null && encoding != has.encoding()) {
            out.add("vector format " + encoding.id() + " (the index has "
                    + has.encoding().id() + ")");
        }
        if (maxConn != null && maxConn != has.maxConn()) {
            out.add("maxConn " + maxConn + " (the index has " + has.maxConn() + ")");
        }
        if (beamWidth != null && beamWidth != has.beamWidth()) {
            out.add("beamWidth " + beamWidth + " (the index has " + has.beamWidth() + ")");
        }
        if (oversample != null && oversample != has.oversample()) {
            out.add("oversample " + oversample + " (the index has " + has.oversample() + ")");
        }
        if (textAnalysis != null && textAnalysis != existing.textAnalysis()) {
            out.add("text analysis " + textAnalysis.id() + " (the index has "
                    + existing.textAnalysis().id() + ")");
        }
        return out;
    }

    /**
     * Throws when a part asked for differs from how the existing index in {@code dir} was built;
     * the message names the index, both settings and how to rebuild.
     */
    public void checkExisting(Path dir, IndexManifest existing) {
        checkExisting(dir.toString(), existing);
    }

    /** Like {@link #checkExisting(Path, IndexManifest)} for an index at {@code dir} (a folder or a URL). */
    public void checkExisting(String dir, IndexManifest existing) {
        List<String> conflicts = conflicts(existing);
        if (!conflicts.isEmpty()) {
            throw new IndexMismatchException("Index " + dir + " was built with vector format "
                    + existing.vectorFormat() + " and text analysis "
                    + existing.textAnalysis().id()
                    + "; asked for: " + String.join(", ", conflicts) + ". These settings are fixed when an index is"
                    + " created. Drop them (--vector-format, --hnsw-m, --hnsw-beam, --oversample, --text-analysis,"
                    + " or the config file's index settings) to keep the index's own, or rebuild it with the new"
                    + " ones: delete " + dir + " and ingest again, or ingest into another --index folder.");
        }
    }

    private static void validate(Keys keys, Encoding encoding, Integer maxConn, Integer beamWidth, Integer oversample) {
        if (maxConn != null) {
            Checks.between(maxConn, 2, VectorFormat.MAX_MAX_CONN, keys.maxConn());
        }
        if (beamWidth != null) {
            Checks.between(beamWidth, 2, VectorFormat.MAX_BEAM_WIDTH, keys.beamWidth());
        }
        if (oversample != null) {
            Checks.between(oversample, 1, VectorFormat.MAX_OVERSAMPLE, keys.oversample());
            if (encoding == Encoding.FLOAT32 && oversample != 1) {
                throw new IllegalArgumentException(keys.oversample() + " must be 1 for " + keys.vectorFormat()
                        + " float32 (float32 vectors are searched exactly), but was " + oversample
                        + "; oversampling is for int8, int4 and bbq");
            }
        }
    }
}
