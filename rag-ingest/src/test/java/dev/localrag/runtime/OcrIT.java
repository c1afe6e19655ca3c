package dev.localrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.localrag.core.chunk.Breadcrumb;
import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.IngestSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.testing.OllamaTestServer;
import dev.localrag.ingest.IngestListener;
import dev.localrag.ingest.IngestOptions;
import dev.localrag.ingest.IngestReport;
import dev.localrag.ingest.Tesseract;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scans (pictures, a PDF page without a text layer) drawn by the test, ingested through the forked
 * parser with Tesseract: what is only in the scan is found, on its page, marked {@code ocr}.
 */
class OcrIT {

    private static final String MODEL = "qwen3-embedding:0.6b-q8_0";

    @TempDir
    Path home;

    @Test
    void givenTesseract_whenIngestingScans_thenTextOnlyInTheScanIsFoundOnItsPage() throws Exception {
        Optional<Tesseract> tesseract = Tesseract.find();
        assumeTrue(tesseract.isPresent(), "tesseract is not installed (apt-get install tesseract-ocr)");
        // given a photo of a page and a PDF whose second page is a scan
        Path docs = Files.createDirectories(home.resolve("docs"));
        ImageIO.write(
                picture(new Font(Font.SANS_SERIF, Font.PLAIN, 40), "The pump model is Zephyr seventy"),
                "png",
                docs.resolve("photo.png").toFile());
        scannedPdf(docs.resolve("report.pdf"), "The launch code is heron forty two; the backup is osprey nineteen.");

        try (OllamaTestServer ollama =
                        OllamaTestServer.builder().models(MODEL).dimension(16).build();
                RagRuntime runtime = RagRuntime.builder(config(ollama, IngestSettings.Ocr.AUTO, "eng")
                                // chunks small enough that each page's sentence is a chunk of its own
                                .withChunking(new ChunkingSettings(32, 0)))
                        .build()) {
            // when they are ingested with the default settings (OCR auto, forked parsers)
            IngestReport report = runtime.ingest(List.of(docs), IngestOptions.DEFAULT, IngestListener.NONE);

            // then both are indexed, and the scanned words are found, on page 2 of the PDF
            assertThat(report.failures()).isEmpty();
            SearchHit heron = only(runtime.index().search(SearchMode.KEYWORD, "heron", null, 5));
            assertThat(heron.documentId()).endsWith("report.pdf");
            assertThat(Breadcrumb.of(Breadcrumb.rootOf(heron.documentId()), heron.text())
                            .page())
                    .isEqualTo(2);
            assertThat(heron.metadata()).containsEntry("ocr", "true");
            SearchHit zephyr = only(runtime.index().search(SearchMode.KEYWORD, "zephyr", null, 5));
            assertThat(zephyr.documentId()).endsWith("photo.png");
            assertThat(zephyr.metadata()).containsEntry("ocr", "true");
            // and the text layer of page 1 is not marked as read by OCR twice
            SearchHit intro = only(runtime.index().search(SearchMode.KEYWORD, "turbines", null, 5));
            assertThat(Breadcrumb.of(Breadcrumb.rootOf(intro.documentId()), intro.text())
                            .page())
                    .isEqualTo(1);
        }
    }

    @Test
    void givenChinesePack_whenIngestingAChineseScan_thenItsWordsAreFound() throws Exception {
        Optional<Tesseract> tesseract = Tesseract.find();
        assumeTrue(
                tesseract.isPresent() && tesseract.get().languages().contains("chi_sim"),
                "tesseract with the chi_sim pack is not installed (apt-get install tesseract-ocr-chi-sim)");
        Optional<Font> cjk = Arrays.stream(java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment()
                        .getAvailableFontFamilyNames())
                .map(name -> new Font(name, Font.PLAIN, 48))
                .filter(f -> f.canDisplayUpTo("北京天气晴朗") == -1)
                .findFirst();
        assumeTrue(
                cjk.isPresent(), "no font with Chinese glyphs to draw the scan (apt-get install fonts-wqy-microhei)");
        // given a photo of a Chinese sentence
        Path docs = Files.createDirectories(home.resolve("docs"));
        ImageIO.write(
                picture(cjk.get(), "北京天气晴朗"), "png", docs.resolve("tianqi.png").toFile());

        try (OllamaTestServer ollama =
                        OllamaTestServer.builder().models(MODEL).dimension(16).build();
                RagRuntime runtime = RagRuntime.builder(config(ollama, IngestSettings.Ocr.ON, "chi_sim+eng"))
                        .build()) {
            // when it is ingested with Chinese OCR
            IngestReport report = runtime.ingest(List.of(docs), IngestOptions.DEFAULT, IngestListener.NONE);

            // then its words are found
            assertThat(report.failures()).isEmpty();
            assertThat(only(runtime.index().search(SearchMode.KEYWORD, "北京", null, 5))
                            .documentId())
                    .endsWith("tianqi.png");
        }
    }

    @Test
    void givenOcrOff_whenIngestingScans_thenTheyAreSkippedAsNeedingOcrNotAsCorrupt() throws Exception {
        // given a picture and a PDF with only a scanned page
        Path docs = Files.createDirectories(home.resolve("docs"));
        ImageIO.write(
                picture(new Font(Font.SANS_SERIF, Font.PLAIN, 40), "Only in the picture"),
                "png",
                docs.resolve("photo.png").toFile());
        Files.writeString(docs.resolve("notes.md"), "# Notes\n\nPlain text is indexed as usual.");

        try (OllamaTestServer ollama =
                        OllamaTestServer.builder().models(MODEL).dimension(16).build();
                RagRuntime runtime = RagRuntime.builder(config(ollama, IngestSettings.Ocr.OFF, "eng"))
                        .build()) {
            // when they are ingested with OCR off
            IngestReport report = runtime.ingest(List.of(docs), IngestOptions.DEFAULT, IngestListener.NONE);

            // then the picture is skipped for needing OCR, and the text file is indexed
            assertThat(report.failures()).hasSize(1);
            assertThat(report.failures().get(0).file()).endsWith(Path.of("photo.png"));
            assertThat(report.failures().get(0).reason())
                    .startsWith(Tesseract.NEEDS_OCR)
                    .contains("ingest.ocr is off");
            assertThat(runtime.index().search(SearchMode.KEYWORD, "plain", null, 5))
                    .hasSize(1);
        }
    }

    private static SearchHit only(List<SearchHit> hits) {
        assertThat(hits).hasSize(1);
        return hits.get(0);
    }

    /** Black text on white, as a scanner would see a printed line. */
    private static BufferedImage picture(Font font, String text) {
        BufferedImage image = new BufferedImage(2200, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.drawString(text, 40, 120);
        g.dispose();
        return image;
    }

    /** Page 1 has a text layer; page 2 is only a picture of a sentence. */
    private static void scannedPdf(Path file, String scannedSentence) throws IOException {
        try (PDDocument pdf = new PDDocument()) {
            PDPage first = new PDPage(PDRectangle.A4);
            pdf.addPage(first);
            try (PDPageContentStream content = new PDPageContentStream(pdf, first)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
                content.newLineAtOffset(72, 720);
                content.showText("Introduction: this report covers wind turbines, their gearboxes and their blades.");
                content.endText();
            }
            PDPage second = new PDPage(PDRectangle.A4);
            pdf.addPage(second);
            PDImageXObject scan = LosslessFactory.createFromImage(
                    pdf, picture(new Font(Font.SERIF, Font.PLAIN, 40), scannedSentence));
            try (PDPageContentStream content = new PDPageContentStream(pdf, second)) {
                content.drawImage(scan, 36, 600, 540, 49);
            }
            pdf.save(file.toFile());
        }
    }

    private RagConfig config(OllamaTestServer ollama, IngestSettings.Ocr ocr, String languages) {
        RagConfig base = new ConfigLoader(Map.of("OLLAMA_HOST", ollama.baseUrl().toString()), home)
                .load(null)
                .withIndexDir(home.resolve("index"))
                .withEmbedder("ollama:" + MODEL);
        return base.withIngest(base.ingest().withParseThreads(1).withOcr(ocr, languages, Duration.ofSeconds(60)));
    }
}
