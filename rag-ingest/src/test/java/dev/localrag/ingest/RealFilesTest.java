package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.chunk.StructuredChunker;
import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.testing.HashingEmbedder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTString;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/**
 * One run over a folder of real files generated here (PDFBox and POI come with Tika): every good
 * file is indexed with its text, every bad one is reported with a clear reason, in the same run.
 */
class RealFilesTest {

    @TempDir
    static Path tmp;

    static Path docs;
    static IngestReport report;
    static Map<String, SourceDocument> documents;
    static Map<String, List<ChunkRecord>> chunks;

    @BeforeAll
    static void ingestEverything() throws Exception {
        docs = Files.createDirectories(tmp.resolve("docs"));
        byte[] pdf = pdf(
                "Quarterly llama report", "Page one talks about alpaca wool.", "Page two talks about vicuna herds.");
        Files.write(docs.resolve("report.pdf"), pdf);
        Files.write(docs.resolve("slides.pptx"), pptx("Shearing season slides mention guanaco."));
        Files.write(docs.resolve("sheet.xlsx"), xlsx("Spreadsheet cell about quinoa harvest"));
        Files.write(docs.resolve("letter.docx"), docx("A DOCX letter about Andean textiles."));
        Files.writeString(docs.resolve("page.html"), """
                <html><head><title>Ollama FAQ</title></head><body>
                <h1>FAQ</h1><h2>Networking</h2><h3>Changing the port</h3>
                <p>Set OLLAMA_HOST to bind another port.</p>
                <table><tr><th>setting</th><th>default</th></tr><tr><td>port</td><td>11434</td></tr></table>
                </body></html>""");
        Files.writeString(
                docs.resolve("guide.md"),
                "---\ntitle: Guide\n---\n# Guide\n\n## Install\n\nRun the installer script.\n");
        Files.writeString(docs.resolve("chinese.txt"), "羊驼是一种温顺的动物。它们生活在南美洲的高原上。", StandardCharsets.UTF_8);
        Files.write(
                docs.resolve("utf16.txt"),
                withBom("UTF-16 text mentions the word marmalade several times. Marmalade!"));
        Files.write(
                docs.resolve("latin1.txt"),
                ("Le café est très apprécié à Genève; la crème brûlée aussi. "
                                + "Les élèves étudient l'été près du lac, où règne une ambiance très française.")
                        .getBytes(Charset.forName("ISO-8859-1")));
        Files.writeString(docs.resolve("mail.eml"), eml(pdf("Attached memo", "The attachment mentions chinchilla.")));
        Files.write(
                docs.resolve("bundle.zip"),
                zip(Map.of(
                        "inner.txt", "Zipped text about the Altiplano.".getBytes(StandardCharsets.UTF_8),
                        "nested.zip",
                                zip(Map.of(
                                        "deep.txt",
                                        "Nested zip text about Titicaca.".getBytes(StandardCharsets.UTF_8))))));
        Files.write(docs.resolve("actually-a-pdf.txt"), pdf("Wrong extension", "Misnamed file about condors."));
        Files.writeString(docs.resolve("with space & ümlaut 🦙.md"), "Odd name file about puna grasslands.");
        Files.writeString(docs.resolve("-leading-dash.txt"), "Dash file about salt flats.");
        byte[] nested = "Bottom of a deep archive.".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 30; i++) {
            nested = zip(Map.of(i == 0 ? "bottom.txt" : "level" + i + ".zip", nested));
        }
        Files.write(docs.resolve("deep.zip"), nested);

        // bad files
        Files.write(docs.resolve("encrypted.pdf"), encryptedPdf());
        Files.write(docs.resolve("truncated.pdf"), Arrays.copyOf(pdf, pdf.length / 3));
        Files.write(
                docs.resolve("corrupt.docx"),
                "PK\u0003\u0004 this is not really a zip".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(docs.resolve("empty.txt"), "");
        byte[] garbage = new byte[64 * 1024];
        new Random(42).nextBytes(garbage);
        Files.write(docs.resolve("garbage.bin"), garbage);
        Files.write(
                docs.resolve("huge.txt"),
                "very large file line\n".repeat(200_000).getBytes(StandardCharsets.UTF_8));

        HashingEmbedder embedder = new HashingEmbedder(32);
        StructuredChunker chunker = new StructuredChunker(new ChunkingSettings(128, 16));
        IngestOptions options = IngestOptions.builder()
                .selection(new SourceWalker.Rules(List.of(), List.of(), false, 2_000_000))
                .build();
        try (LuceneVectorIndex index = LuceneVectorIndex.open(
                tmp.resolve("index"), IndexManifest.of(embedder.spec(), 32, chunker.describe()))) {
            Ingestor ingestor = new Ingestor(
                    index,
                    embedder,
                    chunker,
                    new GuardedParser(new TikaDocumentParser(), Duration.ofSeconds(60)),
                    options);
            report = ingestor.ingest(List.of(docs), IngestListener.NONE);
            documents = index.documents();
            chunks = documents.keySet().stream().collect(Collectors.toMap(id -> id, index::chunkRecords));
        }
    }

    private static String text(String file) {
        return chunks.getOrDefault(docs.resolve(file).toString(), List.of()).stream()
                .map(ChunkRecord::text)
                .collect(Collectors.joining("\n"));
    }

    private static String reason(String file) {
        return report.failures().stream()
                .filter(f -> f.file().getFileName().toString().equals(file))
                .map(IngestReport.Failure::reason)
                .findFirst()
                .orElse("<not reported>");
    }

    @Test
    void goodFilesAreIndexedWithTheirText() {
        assertThat(text("report.pdf")).contains("alpaca wool").contains("vicuna herds");
        assertThat(text("slides.pptx")).contains("guanaco");
        assertThat(text("sheet.xlsx")).contains("quinoa harvest");
        assertThat(text("letter.docx")).contains("Textiles\n\nA DOCX letter about Andean textiles.");
        assertThat(text("guide.md")).contains("Run the installer script").doesNotContain("title: Guide");
        assertThat(text("chinese.txt")).contains("羊驼是一种温顺的动物");
        assertThat(text("utf16.txt")).contains("marmalade");
        assertThat(text("latin1.txt")).contains("café").contains("Genève");
        assertThat(text("actually-a-pdf.txt")).contains("condors");
        assertThat(text("with space & ümlaut 🦙.md")).contains("puna grasslands");
        assertThat(text("-leading-dash.txt")).contains("salt flats");
    }

    @Test
    void pdfChunksCarryPageNumbersAndMetadataTitle() {
        SourceDocument pdf = documents.get(docs.resolve("report.pdf").toString());
        assertThat(pdf.title()).isEqualTo("Quarterly llama report");
        assertThat(pdf.mimeType()).isEqualTo("application/pdf");
        assertThat(pdf.metadata()).containsEntry("author", "LocalRAG tests").containsEntry("pages", 2);
        assertThat(text("report.pdf")).contains("Quarterly llama report › pp. 1–2"); // breadcrumbs start with the title
    }

    @Test
    void htmlHeadingsBecomeBreadcrumbsAndTablesStayTogether() {
        assertThat(text("page.html"))
                .contains("Ollama FAQ › FAQ › Networking › Changing the port") // <title>, then the headings
                .contains("| setting | default |")
                .contains("| port | 11434 |");
    }

    @Test
    void embeddedDocumentsAreIndexedUnderTheirSubPath() {
        String mail = docs.resolve("mail.eml").toString();
        assertThat(documents.keySet())
                .anySatisfy(id -> assertThat(id).startsWith(mail + "!/").endsWith("memo.pdf"));
        assertThat(chunks.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(mail + "!/"))
                        .flatMap(e -> e.getValue().stream())
                        .map(ChunkRecord::text))
                .anySatisfy(t -> assertThat(t).contains("chinchilla"));
        String zip = docs.resolve("bundle.zip").toString();
        assertThat(documents.keySet()).contains(zip + "!/inner.txt");
        assertThat(documents.keySet())
                .anySatisfy(id -> assertThat(id).startsWith(zip + "!/").endsWith("deep.txt"));
    }

    @Test
    void badFilesAreReportedWithAClearReason() {
        assertThat(reason("encrypted.pdf")).contains("encrypted");
        assertThat(reason("truncated.pdf")).containsAnyOf("cannot parse", "no text");
        assertThat(reason("corrupt.docx")).containsAnyOf("cannot parse", "no text");
        assertThat(reason("empty.txt")).contains("empty");
        assertThat(reason("garbage.bin")).containsAnyOf("no text", "cannot parse");
        assertThat(reason("huge.txt")).contains("too large").contains("--max-file-size");
        // and nothing else failed
        assertThat(report.failures())
                .extracting(f -> f.file().getFileName().toString())
                .containsExactlyInAnyOrder(
                        "encrypted.pdf", "truncated.pdf", "corrupt.docx", "empty.txt", "garbage.bin", "huge.txt");
    }

    @Test
    void aDeeplyNestedArchiveNeitherCrashesNorStopsTheRun() {
        assertThat(documents).containsKey(docs.resolve("deep.zip").toString());
        assertThat(report.filesIndexed()).isEqualTo(15);
    }

    // ---- generators ----

    static byte[] pdf(String title, String... pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            doc.getDocumentInformation().setTitle(title);
            doc.getDocumentInformation().setAuthor("LocalRAG tests");
            writePages(doc, pages);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    private static void writePages(PDDocument doc, String... pages) throws IOException {
        for (String text : pages) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                cs.newLineAtOffset(50, 700);
                cs.showText(text);
                cs.endText();
            }
        }
    }

    static byte[] encryptedPdf() throws IOException {
        try (PDDocument doc = new PDDocument()) {
            writePages(doc, "Secret text nobody may read.");
            StandardProtectionPolicy policy =
                    new StandardProtectionPolicy("owner-pw", "user-pw", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    static byte[] docx(String text) throws IOException {
        try (XWPFDocument doc = new XWPFDocument()) {
            CTStyle heading = CTStyle.Factory.newInstance();
            heading.setStyleId("Heading1");
            heading.setType(STStyleType.PARAGRAPH);
            CTString name = CTString.Factory.newInstance();
            name.setVal("heading 1");
            heading.setName(name);
            doc.createStyles().addStyle(new XWPFStyle(heading));
            XWPFParagraph title = doc.createParagraph();
            title.setStyle("Heading1");
            title.createRun().setText("Textiles");
            doc.createParagraph().createRun().setText(text);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.write(out);
            return out.toByteArray();
        }
    }

    static byte[] pptx(String text) throws IOException {
        try (XMLSlideShow ppt = new XMLSlideShow()) {
            XSLFTextBox box = ppt.createSlide().createTextBox();
            box.setText(text);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ppt.write(out);
            return out.toByteArray();
        }
    }

    static byte[] xlsx(String text) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            wb.createSheet("Data").createRow(0).createCell(0).setCellValue(text);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        }
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] withBom(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
        byte[] out = new byte[body.length + 2];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xFE;
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }

    static String eml(byte[] attachment) {
        String b64 = Base64.getMimeEncoder().encodeToString(attachment);
        return """
                From: Alice <alice@example.org>
                To: Bob <bob@example.org>
                Subject: Memo about the herd
                Date: Mon, 3 Mar 2025 10:00:00 +0000
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="BOUNDARY"

                --BOUNDARY
                Content-Type: text/plain; charset=UTF-8

                Hi Bob, the memo is attached. The body talks about llama fodder.
                --BOUNDARY
                Content-Type: application/pdf; name="memo.pdf"
                Content-Disposition: attachment; filename="memo.pdf"
                Content-Transfer-Encoding: base64

                """ + b64 + "\n--BOUNDARY--\n";
    }
}
