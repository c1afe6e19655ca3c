package dev.localrag.core.config;

import dev.localrag.core.Checks;
import java.time.Duration;

/**
 * How files are parsed during ingest, whichever way they come in ({@code rag ingest}, the server's
 * ingest jobs and uploads, {@code LocalRag}).
 *
 * @param isolate parse in separate parser processes (a file that crashes, hangs or exhausts the
 *     heap kills only its process); false parses in-process, guarded by the timeout and a memory
 *     budget
 * @param parserHeapMegabytes heap of each parser process, 64..65536
 * @param parseTimeout longest one file may take to parse
 * @param parseThreads parser threads; 0 means the number of CPUs, at least 2
 * @param ocr whether scanned pages and pictures are read with Tesseract
 * @param ocrLanguages Tesseract language packs joined by {@code +}, e.g. {@code eng+chi_sim}
 * @param ocrPageTimeout longest Tesseract may take for one page or picture
 */
public record IngestSettings(
        boolean isolate,
        int parserHeapMegabytes,
        Duration parseTimeout,
        int parseThreads,
        Ocr ocr,
        String ocrLanguages,
        Duration ocrPageTimeout) {

    /** {@code ingest.ocr}: AUTO reads scans when {@code tesseract} is on the PATH. */
    public enum Ocr {
        AUTO,
        ON,
        OFF;

        /** Parses {@code auto|on|off} (any case); anything else is an error naming the key. */
        public static Ocr parse(String value, String key) {
            // YAML 1.1 reads a bare on/off as a boolean
            if (value.equals("true")) {
                return ON;
            }
            if (value.equals("false")) {
                return OFF;
            }
            for (Ocr o : values()) {
                if (o.name().equalsIgnoreCase(value.strip())) {
                    return o;
                }
            }
            throw new IllegalArgumentException(key + " must be auto, on or off, but was \"" + value + "\"");
        }
    }

    private static final java.util.regex.Pattern LANGUAGES =
            java.util.regex.Pattern.compile("[A-Za-z0-9_]+(\\+[A-Za-z0-9_]+)*");

    public static final IngestSettings DEFAULT =
            new IngestSettings(true, 512, Duration.ofSeconds(120), 0, Ocr.AUTO, "eng", Duration.ofSeconds(120));

    public IngestSettings(boolean isolate, int parserHeapMegabytes, Duration parseTimeout, int parseThreads) {
        this(
                isolate,
                parserHeapMegabytes,
                parseTimeout,
                parseThreads,
                DEFAULT.ocr(),
                DEFAULT.ocrLanguages(),
                DEFAULT.ocrPageTimeout());
    }

    public IngestSettings {
        Checks.between(parserHeapMegabytes, 64, 65536, "ingest.parserHeapMb");
        Checks.notNull(parseTimeout, "ingest.parseTimeoutSeconds");
        if (parseTimeout.isZero() || parseTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "ingest.parseTimeoutSeconds must be > 0 seconds, but was " + parseTimeout.toSeconds());
        }
        Checks.between(parseThreads, 0, 256, "ingest.threads");
        Checks.notNull(ocr, "ingest.ocr");
        Checks.notNull(ocrLanguages, "ingest.ocrLanguages");
        if (!LANGUAGES.matcher(ocrLanguages).matches()) {
            throw new IllegalArgumentException("ingest.ocrLanguages must be Tesseract language codes joined by +,"
                    + " e.g. eng+chi_sim, but was \"" + ocrLanguages + "\"");
        }
        Checks.notNull(ocrPageTimeout, "ingest.ocrPageTimeoutSeconds");
        if (ocrPageTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException(
                    "ingest.ocrPageTimeoutSeconds must be >= 1, but was " + ocrPageTimeout.toSeconds());
        }
    }

    public IngestSettings withIsolate(boolean v) {
        return new IngestSettings(
                v, parserHeapMegabytes, parseTimeout, parseThreads, ocr, ocrLanguages, ocrPageTimeout);
    }

    public IngestSettings withParserHeapMegabytes(int v) {
        return new IngestSettings(isolate, v, parseTimeout, parseThreads, ocr, ocrLanguages, ocrPageTimeout);
    }

    public IngestSettings withParseTimeout(Duration v) {
        return new IngestSettings(isolate, parserHeapMegabytes, v, parseThreads, ocr, ocrLanguages, ocrPageTimeout);
    }

    public IngestSettings withParseThreads(int v) {
        return new IngestSettings(isolate, parserHeapMegabytes, parseTimeout, v, ocr, ocrLanguages, ocrPageTimeout);
    }

    public IngestSettings withOcr(Ocr v, String languages, Duration pageTimeout) {
        return new IngestSettings(isolate, parserHeapMegabytes, parseTimeout, parseThreads, v, languages, pageTimeout);
    }
}
