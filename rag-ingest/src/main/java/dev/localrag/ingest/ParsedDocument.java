package dev.localrag.ingest;

/**
 * Text and metadata extracted from one file.
 *
 * @param text the full text, never truncated
 * @param title from the file's metadata or front matter, else its name
 * @param mimeType the detected media type
 */
public record ParsedDocument(String text, String title, String mimeType) {}
