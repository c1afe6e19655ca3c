package dev.localrag.core.index;

import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * How an index stores and searches its vectors: the HNSW graph parameters and the encoding of the
 * vectors the graph is searched with. Quantized encodings keep the full-precision vectors on disk
 * too, so a search can rescore an oversampled candidate set exactly ({@link #oversample()}).
 * Recorded in the {@link IndexManifest}; written through a per-field codec.
 *
 * @param encoding how vectors are encoded for the graph search
 * @param maxConn HNSW neighbours per node (Lucene's {@code M}), 2..512
 * @param beamWidth HNSW candidates considered while building (Lucene's {@code efConstruction}), 2..3200
 * @param oversample for quantized encodings: how many more candidates than asked for the graph
 *     search returns before the full-precision rescoring picks the top k (1 = no rescoring)
 */
public record VectorFormat(Encoding encoding, int maxConn, int beamWidth, int oversample) {

    public static final int DEFAULT_MAX_CONN = Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN;
    public static final int DEFAULT_BEAM_WIDTH = Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH;
    /** Largest {@link #maxConn()} Lucene accepts. */
    public static final int MAX_MAX_CONN = Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN;
    /** Largest {@link #beamWidth()} Lucene accepts. */
    public static final int MAX_BEAM_WIDTH = Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH;
    /** Largest {@link #oversample()}. */
    public static final int MAX_OVERSAMPLE = 100;

    /** Float32 HNSW, Lucene's default graph parameters. */
    public static final VectorFormat DEFAULT = of(Encoding.FLOAT32);

    /** Vector encodings, each a Lucene 10.4+ format ({@code Lucene104*} for the quantized ones). */
    public enum Encoding {
        /** 4 bytes per dimension, exact scores ({@code Lucene99HnswVectorsFormat}). */
        FLOAT32("float32", 1),
        /** 1 byte per dimension, optimized scalar quantization ({@code UNSIGNED_BYTE}). */
        INT8("int8", 1),
        /** half a byte per dimension ({@code PACKED_NIBBLE}); rescored from 2x candidates. */
        INT4("int4", 2),
        /** 1 bit per dimension, 4-bit queries ({@code SINGLE_BIT_QUERY_NIBBLE}, "BBQ"); rescored from 5x. */
        BBQ("bbq", 5);

        private final String id;
        private final int defaultOversample;

        Encoding(String id, int defaultOversample) {
            this.id = id;
            this.defaultOversample = defaultOversample;
        }

        public String id() {
            return id;
        }

        public int defaultOversample() {
            return defaultOversample;
        }

        public static Encoding parse(String value) {
            return find(value)
                    .orElseThrow(() -> new ConfigurationException(
                            "Unknown vector encoding \"" + value + "\". Use one of " + ids() + "."));
        }

        /** Like {@link #parse(String)}, the error naming the setting {@code name} (a config key or flag). */
        public static Encoding parse(String value, String name) {
            return find(value)
                    .orElseThrow(() -> new ConfigurationException(
                            name + " must be one of " + ids() + ", but was \"" + value + "\""));
        }

        private static Optional<Encoding> find(String value) {
            String v = value == null ? "" : value.strip();
            return Arrays.stream(values()).filter(e -> e.id.equalsIgnoreCase(v)).findFirst();
        }

        private static String ids() {
            return Arrays.stream(values()).map(Encoding::id).collect(Collectors.joining(", "));
        }
    }

    public VectorFormat {
        Checks.notNull(encoding, "encoding");
        Checks.between(maxConn, 2, MAX_MAX_CONN, "maxConn");
        Checks.between(beamWidth, 2, MAX_BEAM_WIDTH, "beamWidth");
        Checks.between(oversample, 1, MAX_OVERSAMPLE, "oversample");
        if (encoding == Encoding.FLOAT32 && oversample != 1) {
            throw new IllegalArgumentException(
                    "oversample must be 1 for float32 vectors (they are exact), but was " + oversample);
        }
    }

    /** {@code encoding} with the default graph parameters and oversampling. */
    public static VectorFormat of(Encoding encoding) {
        return new VectorFormat(encoding, DEFAULT_MAX_CONN, DEFAULT_BEAM_WIDTH, encoding.defaultOversample());
    }

    public VectorFormat withGraph(int maxConn, int beamWidth) {
        return new VectorFormat(encoding, maxConn, beamWidth, oversample);
    }

    public VectorFormat withOversample(int oversample) {
        return new VectorFormat(encoding, maxConn, beamWidth, oversample);
    }

    /** Whether searches rescore candidates with the full-precision vectors. */
    public boolean rescores() {
        return encoding != Encoding.FLOAT32 && oversample > 1;
    }

    /** The Lucene format; {@code mergeWorkers > 1} builds merged graphs on {@code mergeExecutor}. */
    KnnVectorsFormat luceneFormat(int mergeWorkers, ExecutorService mergeExecutor) {
        ExecutorService exec = mergeWorkers > 1 ? mergeExecutor : null;
        int workers = mergeWorkers > 1 ? mergeWorkers : 1;
        return switch (encoding) {
            case FLOAT32 -> new Lucene99HnswVectorsFormat(maxConn, beamWidth, workers, exec);
            case INT8 -> quantized(ScalarEncoding.UNSIGNED_BYTE, workers, exec);
            case INT4 -> quantized(ScalarEncoding.PACKED_NIBBLE, workers, exec);
            case BBQ -> quantized(ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, workers, exec);
        };
    }

    private KnnVectorsFormat quantized(ScalarEncoding scalar, int workers, ExecutorService exec) {
        return new Lucene104HnswScalarQuantizedVectorsFormat(scalar, maxConn, beamWidth, workers, exec);
    }

    /** The manifest form, e.g. {@code hnsw-int8 m=16 beam=100 oversample=1}. */
    @Override
    public String toString() {
        return "hnsw-" + encoding.id + " m=" + maxConn + " beam=" + beamWidth + " oversample=" + oversample;
    }

    /** Reads {@link #toString()}'s form, or a bare encoding name ({@code int8}) with defaults. */
    public static VectorFormat parse(String value) {
        Checks.notNull(value, "value");
        String[] parts = value.strip().split("\\s+");
        String head = parts[0].toLowerCase(Locale.ROOT);
        VectorFormat format = of(Encoding.parse(head.startsWith("hnsw-") ? head.substring(5) : head));
        int m = format.maxConn, beam = format.beamWidth, over = format.oversample;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2) {
                throw new ConfigurationException("Bad vector format \"" + value + "\": expected key=value, got \""
                        + parts[i] + "\" (keys: m, beam, oversample).");
            }
            try {
                int n = Integer.parseInt(kv[1]);
                switch (kv[0]) {
                    case "m" -> m = n;
                    case "beam" -> beam = n;
                    case "oversample" -> over = n;
                    default ->
                        throw new ConfigurationException("Bad vector format \"" + value + "\": unknown key \"" + kv[0]
                                + "\" (keys: m, beam, oversample).");
                }
            } catch (NumberFormatException e) {
                throw new ConfigurationException("Bad vector format \"" + value + "\": " + kv[0]
                        + " must be an integer, got \"" + kv[1] + "\".");
            }
        }
        try {
            return new VectorFormat(format.encoding, m, beam, over);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Bad vector format \"" + value + "\": " + e.getMessage());
        }
    }
}
