package dev.localrag.ingest;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.Internal;
import dev.localrag.core.config.IngestSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Tesseract OCR engine on the PATH, as Tika's {@code TesseractOCRParser} will find it: its
 * version and installed languages, and how the {@code ingest.ocr} settings resolve against it.
 *
 * @param version e.g. {@code 5.3.0}
 * @param languages installed language packs, e.g. {@code [chi_sim, eng, osd]}
 */
@Internal
public record Tesseract(String version, List<String> languages) {

    /** What a user without Tesseract is told, once per ingest. */
    public static final String INSTALL_HINT =
            "Scanned pages and pictures need the Tesseract OCR engine: apt-get install tesseract-ocr"
                    + " (language packs: tesseract-ocr-chi-sim etc.; macOS: brew install tesseract), then ingest again.";

    /** The start of a skip reason for a scan that was not read because OCR is unavailable or off. */
    public static final String NEEDS_OCR = "scanned (no text layer), needs OCR";

    /** Tesseract on the PATH, or empty when it is not installed (or does not answer). */
    public static Optional<Tesseract> find() {
        Optional<String> version = run("--version");
        if (version.isEmpty()) {
            return Optional.empty();
        }
        String first = version.get().lines().findFirst().orElse("").strip(); // "tesseract 5.3.0"
        String v = first.startsWith("tesseract ")
                ? first.substring("tesseract ".length()).strip()
                : first;
        List<String> languages = run("--list-langs")
                .map(out -> out.lines()
                        .skip(1) // "List of available languages in "/usr/share/...":
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .sorted()
                        .toList())
                .orElse(List.of());
        return Optional.of(new Tesseract(v, languages));
    }

    /**
     * The OCR the parser uses under {@code settings}: AUTO reads scans when Tesseract is installed;
     * ON without Tesseract, or a language pack that is not installed, is a configuration error.
     */
    public static OcrOptions resolve(IngestSettings settings) {
        if (settings.ocr() == IngestSettings.Ocr.OFF) {
            return OcrOptions.off("ingest.ocr is off");
        }
        Optional<Tesseract> found = find();
        if (found.isEmpty()) {
            if (settings.ocr() == IngestSettings.Ocr.ON) {
                throw new ConfigurationException("ingest.ocr is on, but tesseract is not on the PATH. " + INSTALL_HINT);
            }
            return OcrOptions.off("tesseract is not installed");
        }
        List<String> missing = Arrays.stream(settings.ocrLanguages().split("\\+"))
                .filter(l -> !found.get().languages().contains(l))
                .toList();
        if (!missing.isEmpty()) {
            throw new ConfigurationException("ingest.ocrLanguages names " + String.join(", ", missing)
                    + ", not installed for tesseract (installed: "
                    + String.join(", ", found.get().languages())
                    + "). Install the pack, e.g. apt-get install tesseract-ocr-"
                    + missing.get(0).replace('_', '-').toLowerCase(java.util.Locale.ROOT)
                    + ", or change ingest.ocrLanguages.");
        }
        return new OcrOptions(
                true, settings.ocrLanguages(), (int) settings.ocrPageTimeout().toSeconds(), "");
    }

    private static Optional<String> run(String arg) {
        try {
            Process p = new ProcessBuilder("tesseract", arg)
                    .redirectErrorStream(true)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty(); // not on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * What the parser does with scans.
     *
     * @param enabled read pictures and PDF pages without text with Tesseract
     * @param languages Tesseract languages, e.g. {@code eng+chi_sim}
     * @param pageTimeoutSeconds longest OCR of one page or picture
     * @param offBecause when disabled, why (part of the skip reason of a scan)
     */
    public record OcrOptions(boolean enabled, String languages, int pageTimeoutSeconds, String offBecause) {

        public static OcrOptions off(String because) {
            return new OcrOptions(false, "eng", 120, because);
        }

        /** As arguments for {@link ParseServer}. */
        List<String> toArgs() {
            return List.of(String.valueOf(enabled), languages, String.valueOf(pageTimeoutSeconds), offBecause);
        }

        static OcrOptions fromArgs(String[] args) {
            return args.length < 4
                    ? off("not configured")
                    : new OcrOptions(Boolean.parseBoolean(args[0]), args[1], Integer.parseInt(args[2]), args[3]);
        }
    }
}
