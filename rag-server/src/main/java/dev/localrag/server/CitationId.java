package dev.localrag.server;

/**
 * A stable id for one passage: the document's id ({@link DocumentIds}, unpadded base64url of its
 * path or URI) and the chunk's position, as {@code BASE64URL#CHUNK}. It stays valid as long as the
 * document is not re-indexed with other chunks.
 *
 * @param documentId the index's document id (a path or URI)
 * @param chunk the chunk's position in the document, from 0
 */
record CitationId(String documentId, int chunk) {

    static CitationId of(String documentId, int chunk) {
        return new CitationId(documentId, chunk);
    }

    /** Reads an id made by {@link #toString()}, else an {@link ApiException} saying what ids look like. */
    static CitationId parse(String id) {
        int hash = id == null ? -1 : id.lastIndexOf('#');
        if (hash > 0 && hash < id.length() - 1) {
            try {
                int chunk = Integer.parseInt(id.substring(hash + 1));
                String documentId = DocumentIds.decode(id.substring(0, hash));
                if (chunk >= 0 && !documentId.isBlank()) {
                    return new CitationId(documentId, chunk);
                }
            } catch (NumberFormatException | ApiException e) {
                // not an id: the message below says what one looks like
            }
        }
        throw ApiException.badRequest("Citation id \"" + id
                + "\" is not valid: ids look like BASE64URL#CHUNK and come from the search and ask results.");
    }

    @Override
    public String toString() {
        return DocumentIds.encode(documentId) + "#" + chunk;
    }
}
