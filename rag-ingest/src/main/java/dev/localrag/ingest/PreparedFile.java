package dev.localrag.ingest;

import dev.localrag.core.index.SourceDocument;
import java.nio.file.Path;
import java.util.List;

/** A parsed, chunked file waiting for the vectors of its chunks, or the reason it failed. */
final class PreparedFile {

    /** A chunk of a prepared file: its text, what to embed, its vector cache key, and the vector once known. */
    static final class PendingChunk {
        final String text;
        final String embedText;
        final String key;
        PreparedFile owner;
        float[] vector;

        PendingChunk(String text, String embedText, String key) {
            this.text = text;
            this.embedText = embedText;
            this.key = key;
        }
    }

    /** One document of a prepared file (the file itself or an embedded one). */
    record Document(SourceDocument document, List<PendingChunk> chunks) {}

    final Path file;
    final List<Document> documents;
    final List<String> problems;
    final String failure;
    int waiting; // chunks without a vector; guarded by the pipeline's embedding lock
    volatile String embedFailure;

    PreparedFile(Path file, List<Document> documents, List<String> problems, String failure) {
        this.file = file;
        this.documents = documents;
        this.problems = problems;
        this.failure = failure;
        for (Document d : documents) {
            for (PendingChunk c : d.chunks()) {
                c.owner = this;
            }
        }
    }

    static PreparedFile failed(Path file, String reason) {
        return failed(file, List.of(), reason);
    }

    static PreparedFile failed(Path file, List<String> problems, String reason) {
        return new PreparedFile(file, List.of(), problems, reason);
    }
}
