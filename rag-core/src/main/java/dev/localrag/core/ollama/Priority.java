package dev.localrag.core.ollama;

/** Who is waiting for a request: a person (goes first) or a bulk job such as ingest. */
public enum Priority {
    /** A query or an answer someone is waiting for. */
    INTERACTIVE,
    /** Batches of embeddings for ingest. */
    BULK
}
