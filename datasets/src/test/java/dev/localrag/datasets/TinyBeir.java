package dev.localrag.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a small BEIR folder for tests. */
final class TinyBeir {

    private TinyBeir() {}

    static final String CORPUS = """
            {"_id": "port", "title": "Ollama FAQ", "text": "Ollama listens on port 11434. Set OLLAMA_HOST to change the port."}
            {"_id": "gpu", "title": "GPU support", "text": "AMD Radeon and NVIDIA GPUs are supported through ROCm and CUDA."}
            {"_id": "models", "title": "Model storage", "text": "On macOS models are stored in ~/.ollama/models."}
            """;

    static final String QUERIES = """
            {"_id": "q1", "text": "Which port does Ollama listen on?"}
            {"_id": "q2", "text": "Are Radeon GPUs supported?"}
            {"_id": "q3", "text": ""}
            {"_id": "q4", "text": "Where are models stored on macOS?"}
            """;

    static final String QRELS = "query-id\tcorpus-id\tscore\nq1\tport\t1\nq2\tgpu\t1\nq3\tport\t1\nq4\tmodels\t2\n";

    static final String ANSWERS = """
            {"_id": "q1", "answers": ["11434", "port 11434"]}
            {"_id": "q2", "answers": ["yes"]}
            {"_id": "q4", "answers": ["~/.ollama/models"]}
            """;

    static Path write(Path dir) {
        return write(dir, CORPUS, QUERIES, QRELS, ANSWERS);
    }

    static Path write(Path dir, String corpus, String queries, String qrels, String answers) {
        try {
            Files.createDirectories(dir.resolve("qrels"));
            Files.writeString(dir.resolve("corpus.jsonl"), corpus);
            Files.writeString(dir.resolve("queries.jsonl"), queries);
            Files.writeString(dir.resolve("qrels/test.tsv"), qrels);
            if (answers != null) {
                Files.writeString(dir.resolve("answers.jsonl"), answers);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
