package dev.localrag.ingest;

import dev.localrag.core.Checks;
import dev.localrag.core.chunk.Chunker;
import dev.localrag.core.embed.Embedder;
import dev.localrag.core.index.ChunkRecord;
import dev.localrag.core.index.LuceneVectorIndex;
import dev.localrag.core.index.SourceDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Walks paths, parses each file, cuts it into chunks, embeds them in batches and replaces the
 * file's document in the index. A file whose content hash the index already has is skipped. A file
 * that fails is reported and skipped; the others go on.
 */
public final class Ingestor {

    /** Commit after this many changed documents, so a long run keeps its progress. */
    private static final int COMMIT_EVERY = 50;

    private final LuceneVectorIndex index;
    private final Embedder embedder;
    private final Chunker chunker;
    private final DocumentParser parser;
    private final SourceWalker walker = new SourceWalker();

    public Ingestor(LuceneVectorIndex index, Embedder embedder, Chunker chunker, DocumentParser parser) {
        this.index = Checks.notNull(index, "index");
        this.embedder = Checks.notNull(embedder, "embedder");
        this.chunker = Checks.notNull(chunker, "chunker");
        this.parser = Checks.notNull(parser, "parser");
    }

    public IngestReport ingest(List<Path> paths, IngestListener listener) {
        Checks.notEmpty(paths, "paths");
        long start = System.nanoTime();
        List<Path> files = walker.walk(paths);
        Map<String, SourceDocument> known = index.documents();
        Run run = new Run(listener);
        for (Path file : files) {
            try {
                SourceDocument described = describe(file);
                SourceDocument before = known.get(described.id());
                if (before != null && before.contentHash().equals(described.contentHash())) {
                    run.unchanged++;
                    listener.unchanged(file);
                    continue;
                }
                run.add(file, parse(file, described));
            } catch (ParseFailedException | IOException | java.io.UncheckedIOException e) {
                run.fail(file, e);
            }
        }
        run.flush();
        index.commit();
        return new IngestReport(
                files.size(),
                run.indexed,
                run.unchanged,
                run.chunks,
                run.failures,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** A parsed, chunked file waiting for its embeddings. */
    private record Pending(Path file, SourceDocument document, List<String> chunks) {}

    /**
     * One ingest run: chunks of several files are embedded together, so the embedder always gets
     * full batches even when files are small.
     */
    private final class Run {
        private final IngestListener listener;
        private final List<Pending> pending = new ArrayList<>();
        private final List<IngestReport.Failure> failures = new ArrayList<>();
        private int pendingChunks;
        private int sinceCommit;
        private int indexed;
        private int unchanged;
        private int chunks;

        Run(IngestListener listener) {
            this.listener = listener;
        }

        void add(Path file, Pending p) {
            pending.add(p);
            pendingChunks += p.chunks().size();
            if (pendingChunks >= embedder.preferredBatchSize()) {
                flush();
            }
        }

        void fail(Path file, Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            failures.add(new IngestReport.Failure(file, reason));
            listener.failed(file, reason);
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            List<String> texts = new ArrayList<>(pendingChunks);
            for (Pending p : pending) {
                for (String chunk : p.chunks()) {
                    texts.add(embeddingText(p.document().title(), chunk));
                }
            }
            List<float[]> vectors = embedder.embedDocuments(texts);
            int next = 0;
            for (Pending p : pending) {
                List<ChunkRecord> records = new ArrayList<>(p.chunks().size());
                for (int i = 0; i < p.chunks().size(); i++) {
                    records.add(new ChunkRecord(i, p.chunks().get(i), vectors.get(next++)));
                }
                index.replaceDocument(p.document(), records);
                indexed++;
                chunks += records.size();
                listener.indexed(p.file(), records.size());
            }
            sinceCommit += pending.size();
            pending.clear();
            pendingChunks = 0;
            if (sinceCommit >= COMMIT_EVERY) {
                index.commit();
                sinceCommit = 0;
            }
        }
    }

    private Pending parse(Path file, SourceDocument described) {
        ParsedDocument parsed = parser.parse(file);
        if (parsed.text().isBlank()) {
            throw new ParseFailedException("no text could be extracted (empty, or only images)", null);
        }
        SourceDocument document = new SourceDocument(
                described.id(),
                parsed.title(),
                parsed.mimeType(),
                described.contentHash(),
                described.size(),
                described.modifiedMillis());
        return new Pending(file, document, chunker.split(parsed.text()));
    }

    /** The title travels with each chunk into the embedding: it tells the model what the chunk is about. */
    static String embeddingText(String title, String chunk) {
        return title.isBlank() || chunk.startsWith(title) ? chunk : title + "\n\n" + chunk;
    }

    private static SourceDocument describe(Path file) throws IOException {
        long size = Files.size(file);
        long mtime = Files.getLastModifiedTime(file).toMillis();
        return new SourceDocument(file.toString(), "", "", sha256(file), size, mtime);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
