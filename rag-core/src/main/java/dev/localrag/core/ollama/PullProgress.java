package dev.localrag.core.ollama;

/**
 * One line of {@code /api/pull}'s progress stream.
 *
 * @param status e.g. {@code pulling manifest}, {@code pulling sha256:...}, {@code success}
 * @param digest the layer being downloaded, or empty
 * @param total its size in bytes, or 0
 * @param completed bytes downloaded so far, or 0
 */
public record PullProgress(String status, String digest, long total, long completed) {

    /** "pulling sha256:abc 42%" or just the status. */
    public String describe() {
        if (total > 0) {
            return status + " " + (int) (100.0 * completed / total) + "%";
        }
        return status;
    }
}
