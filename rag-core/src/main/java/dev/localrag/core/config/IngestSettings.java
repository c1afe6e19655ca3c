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
 */
public record IngestSettings(boolean isolate, int parserHeapMegabytes, Duration parseTimeout, int parseThreads) {

    public static final IngestSettings DEFAULT = new IngestSettings(true, 512, Duration.ofSeconds(120), 0);

    public IngestSettings {
        Checks.between(parserHeapMegabytes, 64, 65536, "ingest.parserHeapMb");
        Checks.notNull(parseTimeout, "ingest.parseTimeoutSeconds");
        if (parseTimeout.isZero() || parseTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "ingest.parseTimeoutSeconds must be > 0 seconds, but was " + parseTimeout.toSeconds());
        }
        Checks.between(parseThreads, 0, 256, "ingest.threads");
    }

    public IngestSettings withIsolate(boolean v) {
        return new IngestSettings(v, parserHeapMegabytes, parseTimeout, parseThreads);
    }

    public IngestSettings withParserHeapMegabytes(int v) {
        return new IngestSettings(isolate, v, parseTimeout, parseThreads);
    }

    public IngestSettings withParseTimeout(Duration v) {
        return new IngestSettings(isolate, parserHeapMegabytes, v, parseThreads);
    }

    public IngestSettings withParseThreads(int v) {
        return new IngestSettings(isolate, parserHeapMegabytes, parseTimeout, v);
    }
}
