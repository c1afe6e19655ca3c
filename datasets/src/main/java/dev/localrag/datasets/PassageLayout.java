package dev.localrag.datasets;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.chunk.Breadcrumb;
import dev.localrag.core.chunk.Chunk;
import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.chunk.RecursiveChunker;
import dev.localrag.core.chunk.StructuredChunker;
import dev.localrag.core.config.ChunkingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How corpus documents become indexed passages. {@code whole}: one passage per document, its text
 * indexed for BM25 and {@code title + " " + text} embedded, as BEIR evaluates dense retrievers.
 * {@code recursive:MAX/OVERLAP}: the documents cut by LocalRAG's own chunker, as {@code rag ingest}
 * does, each chunk embedded with the document title in front. {@code structured:MAX/OVERLAP}: cut
 * as {@code rag ingest} cuts Markdown (sections, breadcrumbs led by the document's title),
 * each chunk embedded as ingest embeds it (title, blank line, chunk).
 *
 * @param chunking null for whole documents, else the chunker settings
 */
public record PassageLayout(ChunkingSettings chunking, boolean structured) {

    public static final PassageLayout WHOLE = new PassageLayout(null, false);

    /** Recursive chunking with {@code settings}. */
    public PassageLayout(ChunkingSettings chunking) {
        this(chunking, false);
    }

    /** One passage: {@code text} is indexed for BM25 and shown, {@code embedText} is embedded. */
    public record Passage(int ordinal, String text, String embedText) {}

    /**
     * {@code whole}, {@code recursive:MAX/OVERLAP} or {@code structured:MAX/OVERLAP} (tokens), e.g.
     * {@code recursive:400/50}.
     */
    public static PassageLayout parse(String spec) {
        String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
        if (s.equals("whole")) {
            return WHOLE;
        }
        boolean structured = s.startsWith("structured:");
        if (s.startsWith("recursive:") || structured) {
            String[] parts = s.substring(s.indexOf(':') + 1).split("/");
            try {
                if (parts.length == 2) {
                    return new PassageLayout(
                            new ChunkingSettings(
                                    Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())),
                            structured);
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("--chunking " + spec + ": " + e.getMessage(), e);
            }
        }
        throw new ConfigurationException("--chunking \"" + spec + "\" is not understood. Use whole (one passage per"
                + " document), recursive:MAX/OVERLAP or structured:MAX/OVERLAP (as rag ingest cuts Markdown) in"
                + " tokens, e.g. recursive:400/50.");
    }

    public List<Passage> passages(CorpusDocument doc, Chunker chunker) {
        if (chunking == null) {
            return List.of(new Passage(0, doc.text().isBlank() ? doc.title() : doc.text(), doc.titleAndText()));
        }
        List<Passage> out = new ArrayList<>();
        if (structured) {
            String name = doc.id().substring(doc.id().lastIndexOf('/') + 1);
            for (Chunk chunk : chunker.chunk(Breadcrumb.rootFor(doc.title(), name), doc.text())) {
                String text = chunk.text();
                String embed =
                        doc.title().isBlank() || text.startsWith(doc.title()) ? text : doc.title() + "\n\n" + text;
                out.add(new Passage(out.size(), text, embed));
            }
            return out.isEmpty() ? List.of(new Passage(0, doc.title(), doc.title())) : out;
        }
        List<String> chunks = chunker.split(doc.text());
        if (chunks.isEmpty()) {
            chunks = List.of(doc.title());
        }
        for (String chunk : chunks) {
            String embed = doc.title().isBlank() ? chunk : doc.title() + " " + chunk;
            out.add(new Passage(out.size(), chunk, embed));
        }
        return out;
    }

    /** A chunker for this layout, or null for whole documents. */
    public Chunker chunker() {
        return chunking == null ? null : structured ? new StructuredChunker(chunking) : new RecursiveChunker(chunking);
    }

    @Override
    public String toString() {
        return chunking == null
                ? "whole"
                : (structured ? "structured:" : "recursive:") + chunking.maxTokens() + "/" + chunking.overlapTokens();
    }
}
