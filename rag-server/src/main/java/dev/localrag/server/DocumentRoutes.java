package dev.localrag.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.VectorIndex;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Documents and ingest: {@code GET /v1/documents} (paged), {@code GET|DELETE /v1/documents/{id}},
 * {@code POST /v1/documents} (multipart upload), {@code POST /v1/ingest} and {@code GET
 * /v1/jobs/{id}}.
 */
final class DocumentRoutes {

    static final int MAX_PAGE = 500;
    /** Upload names longer than this are refused (file systems allow 255 bytes). */
    static final int MAX_NAME_BYTES = 200;

    private final ObjectMapper json;
    private final Function<String, ServedCollection> collections;
    private final IngestJobs jobs;
    private final PathGuard guard;
    private final Set<String> uploadTypes;

    DocumentRoutes(
            ObjectMapper json,
            Function<String, ServedCollection> collections,
            IngestJobs jobs,
            PathGuard guard,
            Set<String> uploadTypes) {
        this.json = json;
        this.collections = collections;
        this.jobs = jobs;
        this.guard = guard;
        this.uploadTypes = uploadTypes;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/documents", this::list);
        routes.post("/v1/documents", this::upload);
        routes.get("/v1/documents/{id}", this::get);
        routes.delete("/v1/documents/{id}", this::delete);
        routes.post("/v1/ingest", this::ingest);
        routes.get("/v1/jobs/{id}", this::job);
        routes.delete("/v1/jobs/{id}", this::cancelJob);
    }

    private void list(Context ctx) {
        ServedCollection collection = collections.apply(ctx.queryParam("collection"));
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", 50, 1, MAX_PAGE);
        ctx.json(pageJson(collection, offset, limit));
    }

    /** {@code limit} documents from {@code offset} in id order: {@code {documents, total, offset, limit, collection}}. */
    static Map<String, Object> pageJson(ServedCollection collection, int offset, int limit) {
        List<SourceDocument> all = sorted(collection.index());
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = offset; i < all.size() && page.size() < limit; i++) {
            Map<String, Object> doc = documentJson(all.get(i));
            doc.put("chunkCount", collection.index().chunkCount(all.get(i).id()));
            page.add(doc);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("documents", page);
        body.put("total", all.size());
        body.put("offset", offset);
        body.put("limit", limit);
        body.put("collection", collection.name());
        return body;
    }

    /** The index's documents sorted by id: the order pages are cut from. */
    static List<SourceDocument> sorted(VectorIndex index) {
        List<SourceDocument> all = new ArrayList<>(index.documents().values());
        all.sort(java.util.Comparator.comparing(SourceDocument::id));
        return all;
    }

    private void get(Context ctx) {
        ServedCollection collection = collections.apply(ctx.queryParam("collection"));
        SourceDocument doc = find(collection, ctx.pathParam("id"));
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (SearchHit h : collection.index().chunks(doc.id())) {
            chunks.add(Map.of("chunk", h.ordinal(), "text", h.text()));
        }
        Map<String, Object> body = documentJson(doc);
        body.put("chunkCount", chunks.size());
        body.put("chunks", chunks);
        ctx.json(body);
    }

    private void delete(Context ctx) {
        ServedCollection collection = collections.apply(ctx.queryParam("collection"));
        SourceDocument doc = find(collection, ctx.pathParam("id"));
        collection.audit().checkWritable(); // a delete that cannot be recorded is refused
        try {
            if (!collection.writeLock().tryLock(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new ApiException(
                        409,
                        "collection_busy",
                        "Collection " + collection.name()
                                + " is being written by an ingest job; retry when it is done.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestCancellation.CancelledException(RequestCancellation.Reason.SHUTDOWN);
        }
        try {
            VectorIndex index = collection.index();
            index.deleteDocument(doc.id());
            index.commit();
            Path file = Path.of(doc.id());
            if (file.isAbsolute() && file.normalize().startsWith(collection.uploads())) {
                Files.deleteIfExists(file); // an uploaded copy is ours to remove
            }
            collection
                    .audit()
                    .append(Audit.of(ctx).entry(collection, List.of(doc.id()), "succeeded", Map.of("documents", 1)));
        } catch (IOException e) {
            collection
                    .audit()
                    .append(Audit.of(ctx).entry(collection, List.of(doc.id()), "partial", Map.of("documents", 1)));
            throw new UncheckedIOException(
                    "Deleted " + doc.id() + " from the index, but not its upload: " + e.getMessage(), e);
        } finally {
            collection.writeLock().unlock();
        }
        ctx.json(Map.of("deleted", DocumentIds.encode(doc.id()), "path", doc.id()));
    }

    private void upload(Context ctx) {
        if (!ctx.isMultipartFormData()) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "Upload files as multipart/form-data (e.g. curl -F file=@notes.md .../v1/documents).");
        }
        List<UploadedFile> files = ctx.uploadedFiles();
        if (files.isEmpty()) {
            throw ApiException.badRequest("The upload holds no files: send them as form fields of type file.");
        }
        ServedCollection collection = collections.apply(ctx.formParam("collection"));
        List<String> names = new ArrayList<>();
        for (UploadedFile f : files) {
            names.add(checkName(f.filename()));
        }
        collection.audit().checkWritable(); // an upload that cannot be recorded is refused
        List<Path> saved = new ArrayList<>();
        try {
            Files.createDirectories(collection.uploads());
            for (int i = 0; i < files.size(); i++) {
                Path target = collection.uploads().resolve(names.get(i));
                Path tmp = Files.createTempFile(collection.uploads(), ".upload-", ".part");
                try (InputStream in = files.get(i).content()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                saved.add(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot store the upload in " + collection.uploads() + ": " + e.getMessage(), e);
        }
        accepted(ctx, jobs.submit(collection, "upload", saved, Audit.of(ctx)));
    }

    private void ingest(Context ctx) {
        JsonBody body = JsonBody.parse(json, ctx.bodyAsBytes()).onlyFields(Set.of("path", "collection"));
        ServedCollection collection = collections.apply(body.optionalString("collection"));
        Path path = guard.check(body.requiredString("path"));
        collection.audit().checkWritable(); // an ingest that cannot be recorded is refused
        accepted(ctx, jobs.submit(collection, "path", List.of(path), Audit.of(ctx)));
    }

    private void job(Context ctx) {
        ctx.json(findJob(ctx).toJson());
    }

    /** Cancels a job that has not started; the files uploaded for it, never indexed, are removed. */
    private void cancelJob(Context ctx) {
        IngestJobs.Job job = jobs.cancel(findJob(ctx));
        if (job.source.equals("upload")) {
            ServedCollection collection = collections.apply(job.collection);
            for (Path p : job.paths) {
                // a re-upload of an indexed file replaced that file: it stays, as the index still names it
                if (collection.index().chunkCount(p.toString()) == 0) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(
                                "Cancelled job " + job.id + ", but cannot remove its upload " + p + ": "
                                        + e.getMessage(),
                                e);
                    }
                }
            }
        }
        ctx.json(job.toJson());
    }

    private IngestJobs.Job findJob(Context ctx) {
        return jobs.get(ctx.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound(
                        "job_not_found",
                        "No job has id \"" + ctx.pathParam("id") + "\" (jobs are kept in memory;" + " the last "
                                + IngestJobs.KEEP + " are listed)."));
    }

    private static void accepted(Context ctx, IngestJobs.Job job) {
        ctx.status(202);
        ctx.header("Location", "/v1/jobs/" + job.id);
        ctx.json(job.toJson());
    }

    /** The file's own name, without folders; refused when its type is not allowed. */
    private String checkName(String filename) {
        String name = filename == null ? "" : filename.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).strip();
        if (name.isEmpty() || name.startsWith(".") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("Upload file name \"" + filename
                    + "\" is not usable: give a plain file name that does not start with a dot.");
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw ApiException.badRequest("Upload file name \"" + name.substring(0, 40) + "...\" is too long: at most "
                    + MAX_NAME_BYTES + " bytes (UTF-8) are accepted.");
        }
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!uploadTypes.contains(ext)) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "File type of \"" + name + "\" is not accepted. Allowed extensions: "
                            + uploadTypes.stream().sorted().toList() + ".");
        }
        return name;
    }

    private static SourceDocument find(ServedCollection collection, String id) {
        String documentId = DocumentIds.decode(id);
        SourceDocument doc = collection.index().documents().get(documentId);
        if (doc == null) {
            throw ApiException.notFound(
                    "document_not_found",
                    "Collection " + collection.name() + " has no document with id \"" + id + "\" (" + documentId
                            + ").");
        }
        return doc;
    }

    static Map<String, Object> documentJson(SourceDocument d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", DocumentIds.encode(d.id()));
        m.put("path", d.id());
        m.put("title", d.title());
        m.put("mimeType", d.mimeType());
        m.put("contentHash", d.contentHash());
        m.put("size", d.size());
        m.put("modified", Instant.ofEpochMilli(d.modifiedMillis()).toString());
        return m;
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Query parameter \"" + name + "\" must be an integer from " + min + " to "
                    + max + ", but was \"" + v + "\".");
        }
    }
}
