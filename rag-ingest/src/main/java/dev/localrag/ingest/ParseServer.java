package dev.localrag.ingest;

import dev.localrag.core.Internal;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child side of {@link ForkedParser}: reads paths from stdin, parses each with {@link
 * TikaDocumentParser} (OCR as {@link Tesseract.OcrOptions#toArgs()} in the arguments), writes the
 * result to stdout. Anything else a parser prints goes to stderr,
 * never into the protocol.
 */
@Internal
public final class ParseServer {

    private static final int OK = 1;
    private static final int FAILED = 2;

    public static void main(String[] args) throws IOException {
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(System.out));
        System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8)); // keep stray prints off the pipe
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(System.in));
        TikaDocumentParser parser = new TikaDocumentParser(Tesseract.OcrOptions.fromArgs(args));
        while (true) {
            String path;
            try {
                path = readString(in);
            } catch (EOFException e) {
                return; // the parent closed the pipe
            }
            try {
                ParsedFile parsed = parser.parse(Path.of(path));
                out.writeByte(OK);
                out.writeInt(parsed.documents().size());
                for (ParsedDocument d : parsed.documents()) {
                    writeString(out, d.embeddedPath());
                    writeString(out, d.text());
                    writeString(out, d.title());
                    writeString(out, d.mimeType());
                    writeString(out, d.author());
                    writeString(out, d.created());
                    writeString(out, d.language());
                    out.writeInt(d.pages());
                    out.writeBoolean(d.ocr());
                }
                out.writeInt(parsed.problems().size());
                for (String p : parsed.problems()) {
                    writeString(out, p);
                }
            } catch (ParseFailedException e) {
                out.writeByte(FAILED);
                writeString(out, e.getMessage());
            } catch (RuntimeException e) {
                out.writeByte(FAILED);
                writeString(out, "cannot parse: " + e);
            }
            out.flush();
        }
    }

    static ParsedFile readAnswer(DataInputStream in) throws IOException {
        int status = in.readByte();
        if (status == FAILED) {
            throw new ParseFailedException(readString(in), null);
        }
        if (status != OK) {
            throw new IOException("unexpected answer " + status + " from the parser process");
        }
        int n = in.readInt();
        List<ParsedDocument> documents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            documents.add(new ParsedDocument(
                    readString(in),
                    readString(in),
                    readString(in),
                    readString(in),
                    readString(in),
                    readString(in),
                    readString(in),
                    in.readInt(),
                    in.readBoolean()));
        }
        int problems = in.readInt();
        List<String> list = new ArrayList<>(problems);
        for (int i = 0; i < problems; i++) {
            list.add(readString(in));
        }
        return new ParsedFile(documents, list);
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative length " + n + " from the parser process");
        }
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("the parser process ended mid-answer");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private ParseServer() {}
}
