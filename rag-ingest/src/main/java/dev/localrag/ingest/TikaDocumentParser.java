package dev.localrag.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

/** Parses any format Tika knows with its {@link AutoDetectParser}; the text is never truncated. */
public final class TikaDocumentParser implements DocumentParser {

    private static final Pattern FRONT_MATTER_TITLE =
            Pattern.compile("\\A---\\R(?:.*\\R)*?title:\\s*[\"']?(.+?)[\"']?\\s*\\R(?:.*\\R)*?---", Pattern.MULTILINE);
    private static final Pattern FRONT_MATTER =
            Pattern.compile("\\A\\s*---\\R.*?\\R---[ \\t]*(\\R|\\z)", Pattern.DOTALL);
    private static final Pattern MARKDOWN_HEADING = Pattern.compile("^#\\s+(.+)$", Pattern.MULTILINE);

    private final Parser parser = new AutoDetectParser();

    @Override
    public ParsedDocument parse(Path file) {
        Metadata metadata = new Metadata();
        BodyContentHandler handler = new BodyContentHandler(-1); // -1: no 100k-character cut
        try (InputStream in = TikaInputStream.get(file, metadata)) {
            parser.parse(in, handler, metadata, new ParseContext());
        } catch (EncryptedDocumentException e) {
            throw new ParseFailedException("encrypted; LocalRAG cannot read password-protected files", e);
        } catch (IOException | SAXException | TikaException e) {
            throw new ParseFailedException(describe(e), e);
        }
        String text = handler.toString();
        String mime = metadata.get(Metadata.CONTENT_TYPE);
        String title = title(file, text, metadata);
        return new ParsedDocument(stripFrontMatter(text), title, mime == null ? "" : mime);
    }

    static String title(Path file, String text, Metadata metadata) {
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
        return file.getFileName().toString();
    }

    /** Markdown/MDX front matter ({@code ---} YAML {@code ---}) is metadata, not content. */
    static String stripFrontMatter(String text) {
        Matcher m = FRONT_MATTER.matcher(text);
        return m.find() ? text.substring(m.end()) : text;
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "cannot parse: " + what;
    }
}
