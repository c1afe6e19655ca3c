package dev.localrag.ingest;

import dev.localrag.core.Checks;
import dev.localrag.core.Internal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.PDF;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.RecursiveParserWrapper;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.ContentHandlerFactory;
import org.apache.tika.sax.RecursiveParserWrapperHandler;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Parses any format Tika knows with its {@link AutoDetectParser}, wrapped in a {@link
 * RecursiveParserWrapper} so documents embedded in a file (mail attachments, archive entries,
 * pictures' text inside a DOCX) come back as documents of their own. Text is kept as light Markdown
 * for the structure-aware chunker; it is cut only at an explicit limit, and the cut is reported.
 *
 * <p>This parser runs in the calling thread; {@link GuardedParser} adds the time and memory guard.
 */
@Internal
public final class TikaDocumentParser implements DocumentParser {

    /** Default cap on the text taken from one document: 50 million characters (about 100 MB in memory). */
    public static final long DEFAULT_MAX_CHARS = 50_000_000L;

    /** Default cap on embedded documents per file (zip bombs, mail archives). */
    public static final int DEFAULT_MAX_EMBEDDED = 1_000;

    private static final Pattern FRONT_MATTER_TITLE =
            Pattern.compile("\\A---\\R(?:.*\\R)*?title:\\s*[\"']?(.+?)[\"']?\\s*\\R(?:.*\\R)*?---", Pattern.MULTILINE);
    private static final Pattern FRONT_MATTER =
            Pattern.compile("\\A\\s*---\\R.*?\\R---[ \\t]*(\\R|\\z)", Pattern.DOTALL);
    private static final Pattern MARKDOWN_HEADING = Pattern.compile("^#\\s+(.+)$", Pattern.MULTILINE);

    /** Created on first use: loading Tika's parsers takes seconds, and a re-run often parses nothing. */
    private volatile RecursiveParserWrapper parser;

    private final long maxChars;
    private final int maxEmbedded;
    private final Tesseract.OcrOptions ocr;

    /** Without OCR: scans are reported as needing it. */
    public TikaDocumentParser() {
        this(Tesseract.OcrOptions.off("not configured"));
    }

    public TikaDocumentParser(Tesseract.OcrOptions ocr) {
        this(DEFAULT_MAX_CHARS, DEFAULT_MAX_EMBEDDED, ocr);
    }

    public TikaDocumentParser(long maxChars, int maxEmbedded) {
        this(maxChars, maxEmbedded, Tesseract.OcrOptions.off("not configured"));
    }

    public TikaDocumentParser(long maxChars, int maxEmbedded, Tesseract.OcrOptions ocr) {
        this.ocr = Checks.notNull(ocr, "ocr");
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be > 0, but was " + maxChars);
        }
        this.maxChars = maxChars;
        this.maxEmbedded = Checks.positive(maxEmbedded, "maxEmbedded");
    }

    @Override
    public ParsedFile parse(Path file) {
        Factory factory = new Factory(maxChars);
        RecursiveParserWrapperHandler handler = new RecursiveParserWrapperHandler(factory, maxEmbedded);
        Metadata metadata = new Metadata();
        try (InputStream in = TikaInputStream.get(file, metadata)) {
            parser().parse(in, handler, metadata, context());
        } catch (ZeroByteFileException e) {
            throw new ParseFailedException("empty file (0 bytes)", e);
        } catch (EncryptedDocumentException e) {
            throw new ParseFailedException("encrypted; LocalRAG cannot read password-protected files", e);
        } catch (IOException | SAXException | TikaException e) {
            if (isEncrypted(e)) {
                throw new ParseFailedException("encrypted; LocalRAG cannot read password-protected files", e);
            }
            throw new ParseFailedException(describe(e), e);
        }
        List<Metadata> all = handler.getMetadataList();
        List<ParsedDocument> documents = new ArrayList<>(all.size());
        List<String> problems = new ArrayList<>();
        for (Metadata m : all) {
            String embeddedPath = m.get(TikaCoreProperties.EMBEDDED_RESOURCE_PATH);
            boolean embedded = embeddedPath != null && !embeddedPath.isEmpty() && !documents.isEmpty();
            String where = embedded
                    ? file.getFileName() + "!" + embeddedPath
                    : file.getFileName().toString();
            String exception = m.get(TikaCoreProperties.EMBEDDED_EXCEPTION);
            if (embedded && exception != null) {
                problems.add(where + ": " + (exception.contains("Encrypted") ? "encrypted" : firstLine(exception)));
            }
            String text = m.get(TikaCoreProperties.TIKA_CONTENT);
            text = text == null ? "" : text;
            if ("true".equals(m.get(TikaCoreProperties.WRITE_LIMIT_REACHED))) {
                problems.add(where + ": text cut at " + maxChars + " characters");
            }
            String name =
                    embedded ? lastSegment(embeddedPath) : file.getFileName().toString();
            String title = title(name, text, m);
            documents.add(new ParsedDocument(
                    embedded ? embeddedPath : "",
                    stripFrontMatter(text),
                    title,
                    m.get(Metadata.CONTENT_TYPE),
                    first(m, TikaCoreProperties.CREATOR.getName(), "Author", "meta:author"),
                    m.get(TikaCoreProperties.CREATED),
                    first(m, TikaCoreProperties.LANGUAGE.getName(), "Content-Language"),
                    pages(m),
                    ocrUsed(m)));
        }
        if (factory.truncated()) {
            problems.add(file.getFileName() + ": text cut at " + maxChars + " characters");
        }
        if (handler.hasHitMaximumEmbeddedResources()) {
            problems.add(
                    file.getFileName() + ": more than " + maxEmbedded + " embedded documents; the rest were skipped");
        }
        if (documents.isEmpty()) {
            throw new ParseFailedException("cannot parse: Tika returned nothing", null);
        }
        if (!ocr.enabled() && looksScanned(documents)) {
            throw new ParseFailedException(Tesseract.NEEDS_OCR + ", and " + ocr.offBecause(), null);
        }
        return new ParsedFile(documents, problems);
    }

    /** Tesseract for pictures and, in PDFs, for pages without a text layer (Tika's OCR strategy auto). */
    private ParseContext context() {
        ParseContext context = new ParseContext();
        TesseractOCRConfig tesseract = new TesseractOCRConfig();
        tesseract.setSkipOcr(!ocr.enabled());
        tesseract.setLanguage(ocr.languages());
        tesseract.setTimeoutSeconds(ocr.pageTimeoutSeconds());
        context.set(TesseractOCRConfig.class, tesseract);
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setOcrStrategy(ocr.enabled() ? PDFParserConfig.OCR_STRATEGY.AUTO : PDFParserConfig.OCR_STRATEGY.NO_OCR);
        context.set(PDFParserConfig.class, pdf);
        return context;
    }

    /** No text at all in a picture or a PDF: what a scan looks like to a parser without OCR. */
    private static boolean looksScanned(List<ParsedDocument> documents) {
        if (documents.stream().anyMatch(d -> !d.text().isBlank())) {
            return false;
        }
        String type = documents.get(0).mimeType();
        return type.startsWith("image/") || type.startsWith("application/pdf");
    }

    /** Whether Tesseract produced some of the document's text (a picture, or PDF pages rendered and read). */
    private static boolean ocrUsed(Metadata m) {
        Integer pages = m.getInt(PDF.OCR_PAGE_COUNT);
        if (pages != null && pages > 0) {
            return true;
        }
        String[] parsedBy = m.getValues(TikaCoreProperties.TIKA_PARSED_BY);
        return Arrays.stream(parsedBy).anyMatch(p -> p.endsWith("TesseractOCRParser"));
    }

    private RecursiveParserWrapper parser() {
        RecursiveParserWrapper p = parser;
        if (p == null) {
            synchronized (this) {
                p = parser;
                if (p == null) {
                    p = new RecursiveParserWrapper(new AutoDetectParser());
                    parser = p;
                }
            }
        }
        return p;
    }

    /** Creates one {@link MarkdownContentHandler} per (embedded) document and remembers any cut. */
    private static final class Factory implements ContentHandlerFactory {
        private final long maxChars;
        private final List<MarkdownContentHandler> created = new ArrayList<>();

        Factory(long maxChars) {
            this.maxChars = maxChars;
        }

        boolean truncated() {
            synchronized (created) {
                return created.stream().anyMatch(MarkdownContentHandler::truncated);
            }
        }

        @Override
        public ContentHandler getNewContentHandler() {
            MarkdownContentHandler handler = new MarkdownContentHandler(maxChars);
            synchronized (created) {
                created.add(handler);
            }
            return handler;
        }

        @Override
        public ContentHandler getNewContentHandler(OutputStream os, Charset charset) {
            throw new UnsupportedOperationException("LocalRAG keeps parsed text in memory");
        }
    }

    static String title(String name, String text, Metadata metadata) {
        String title = metadata.get(TikaCoreProperties.TITLE);
        if (title != null && !title.isBlank()) {
            return title.strip();
        }
        String head = text.length() > 4000 ? text.substring(0, 4000) : text;
        Matcher fm = FRONT_MATTER_TITLE.matcher(head.stripLeading());
        if (fm.find()) {
            return fm.group(1).strip();
        }
        Matcher h1 = MARKDOWN_HEADING.matcher(head);
        if (h1.find()) {
            return h1.group(1).strip();
        }
        return name;
    }

    /** Markdown/MDX front matter ({@code ---} YAML {@code ---}) is metadata, not content. */
    static String stripFrontMatter(String text) {
        Matcher m = FRONT_MATTER.matcher(text);
        return m.find() ? text.substring(m.end()) : text;
    }

    private static int pages(Metadata m) {
        Integer n = m.getInt(PagedText.N_PAGES);
        if (n == null) {
            String slides = m.get("meta:slide-count");
            try {
                return slides == null ? 0 : Integer.parseInt(slides.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return n;
    }

    private static String first(Metadata m, String... names) {
        for (String name : names) {
            String v = m.get(name);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return "";
    }

    private static String lastSegment(String path) {
        int slash = path.lastIndexOf('/');
        return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
    }

    private static String firstLine(String s) {
        String line = s.lines().findFirst().orElse(s).strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static boolean isEncrypted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EncryptedDocumentException
                    || t.getClass().getSimpleName().contains("Encrypted")
                    || t.getClass().getSimpleName().equals("InvalidPasswordException")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "cannot parse (corrupt or unsupported): " + firstLine(what);
    }
}
