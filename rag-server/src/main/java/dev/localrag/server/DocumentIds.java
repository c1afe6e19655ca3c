package dev.localrag.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * URL-safe ids for documents: the index's document id (an absolute path or URI, full of slashes)
 * in unpadded base64url, so {@code /v1/documents/{id}} needs no escaping.
 */
final class DocumentIds {

    private DocumentIds() {}

    static String encode(String documentId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(documentId.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String id) {
        try {
            return new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(
                    "document_not_found", "No document has id \"" + id + "\" (ids come from GET /v1/documents).");
        }
    }
}
