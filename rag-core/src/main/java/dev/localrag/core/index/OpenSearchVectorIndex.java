package dev.localrag.core.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.LocalRagException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An index on an OpenSearch cluster, over its REST API (JSON over HTTP; no Lucene classes cross the
 * wire). OpenSearch is Lucene underneath: the same HNSW graph ({@code knn_vector}, engine {@code
 * lucene}, the manifest's {@code m} and {@code ef_construction}) and the same BM25 with the same
 * text analysis.
 *
 * <p><b>One OpenSearch document per source document</b>, its chunks {@code nested} inside it (text,
 * title, ordinal and vector each). Lucene writes a document and its nested children as one block and
 * replaces the block as a whole, so a replace is atomic exactly as in the local index: a search
 * sees all of the old chunks or all of the new ones, never a mix, on every shard copy (replicas
 * apply the same block) and after a node fails (recovery replays whole operations). The document
 * lives on one shard (routed by its id). Searches rank chunks: the nested k-NN query scores every
 * chunk of the best documents ({@code expand_nested_docs}), the nested BM25 query scores chunks, and
 * each hit's chunks come back as inner hits. Metadata filters apply to the source-document record,
 * inside the k-NN query (efficient filtering) and as a bool filter around BM25. Hybrid searches run
 * both rankings on one point-in-time view and fuse them here, with the local index's {@link HybridFusion}.
 *
 * <p>The {@link IndexManifest} lives in the mapping's {@code _meta.localrag} and is checked on
 * open like the local one; the calibrated hybrid vector weight is updated there ({@link
 * #recordHybridVectorWeight}). Acknowledged writes are durable (OpenSearch's translog); {@link
 * #refresh()} and {@link #commit()} make them visible to searches.
 */
public final class OpenSearchVectorIndex implements VectorIndex {

    static final String META = "localrag";
    /** Most chunks one document may hold (OpenSearch's nested-objects limit, raised for LocalRAG indexes). */
    static final int MAX_CHUNKS_PER_DOCUMENT = 100_000;
    /** How many inner hits (chunks per document) a search may ask for. */
    static final int MAX_INNER_HITS = 10_000;

    private static final String F_CHUNKS = "chunks";
    /** Tries of a search some shard could not answer (about 10 s in all) before it is an error. */
    private static final int SHARD_FAILURE_ATTEMPTS = 14;
    /** A bulk request is sent at this many writes or characters, whichever comes first. */
    private static final int BULK_OPERATIONS = 200;

    private static final int BULK_CHARS = 8 << 20;
    private static final String[] DOCUMENT_SOURCE = {"doc_id", "title", "mime", "extra"};

    private final OpenSearchLocation location;
    private final OpenSearchClient client;
    private volatile IndexManifest manifest;
    private final boolean writable;
    private final String path;
    private final StringBuilder pending = new StringBuilder();
    private int pendingOperations;

    private OpenSearchVectorIndex(
            OpenSearchLocation location, OpenSearchClient client, IndexManifest manifest, boolean writable) {
        this.location = location;
        this.client = client;
        this.manifest = manifest;
        this.writable = writable;
        this.path = "/" + location.index();
    }

    /**
     * Opens the index at {@code location}, creating it with {@code manifest} (and the settings'
     * shards and replicas) when absent.
     *
     * @throws IndexMismatchException when the existing index was built differently
     * @throws ConfigurationException for a vector format OpenSearch cannot store, or an index LocalRAG
     *     did not create
     */
    public static OpenSearchVectorIndex open(
            OpenSearchLocation location, OpenSearchSettings settings, IndexManifest manifest) {
        Checks.notNull(location, "location");
        Checks.notNull(settings, "settings");
        Checks.notNull(manifest, "manifest");
        checkSupported(location, manifest);
        OpenSearchClient client = new OpenSearchClient(location, settings);
        try {
            IndexManifest existing = readManifest(client, location);
            if (existing == null) {
                OpenSearchClient.Response created =
                        client.send("PUT", "/" + location.index(), createBody(manifest, settings));
                if (!created.ok()) {
                    String type = created.body().path("error").path("type").asText("");
                    if (!type.equals("resource_already_exists_exception")) {
                        throw client.failure("PUT", "/" + location.index(), created);
                    }
                    existing = readManifest(client, location); // another writer created it first
                }
            }
            if (existing != null) {
                existing.checkCompatible(location.toString(), manifest);
            }
            return new OpenSearchVectorIndex(location, client, existing != null ? existing : manifest, true);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Opens an existing index for searching only.
     *
     * @throws IndexNotFoundException when the cluster has no such index
     */
    public static OpenSearchVectorIndex openReadOnly(OpenSearchLocation location, OpenSearchSettings settings) {
        OpenSearchClient client = new OpenSearchClient(location, settings);
        try {
            IndexManifest existing = readManifest(client, location);
            if (existing == null) {
                throw new IndexNotFoundException(location.toString());
            }
            existing.checkCompatible(location.toString(), existing);
            return new OpenSearchVectorIndex(location, client, existing, false);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The manifest of the index at {@code location}, or null when the cluster has no such index. */
    public static IndexManifest readManifest(OpenSearchLocation location, OpenSearchSettings settings) {
        try (OpenSearchClient client = new OpenSearchClient(location, settings)) {
            return readManifest(client, location);
        }
    }

    private static IndexManifest readManifest(OpenSearchClient client, OpenSearchLocation location) {
        String mapping = "/" + location.index() + "/_mapping";
        OpenSearchClient.Response r = client.send("GET", mapping, null);
        if (r.status() == 404) {
            return null;
        }
        if (!r.ok()) {
            throw client.failure("GET", mapping, r);
        }
        JsonNode meta =
                r.body().path(location.index()).path("mappings").path("_meta").path(META);
        if (!meta.isObject()) {
            throw new ConfigurationException("OpenSearch index " + location + " was not created by LocalRAG (its"
                    + " mapping has no _meta." + META + " manifest). Use another index name.");
        }
        Map<String, String> data = new LinkedHashMap<>();
        meta.properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));
        return IndexManifest.fromUserData(location.toString(), data);
    }

    private static void checkSupported(OpenSearchLocation location, IndexManifest manifest) {
        if (manifest.vectorFormat().encoding() != VectorFormat.Encoding.FLOAT32) {
            throw new ConfigurationException("OpenSearch index " + location + " cannot store vectors as "
                    + manifest.vectorFormat() + ": OpenSearch's lucene engine has no LocalRAG-compatible "
                    + manifest.vectorFormat().encoding().id() + " encoding. Use index.vectorFormat: float32"
                    + " (and index.maxConn / index.beamWidth for the graph) for an OpenSearch index.");
        }
    }

    private static ObjectNode createBody(IndexManifest manifest, OpenSearchSettings settings) {
        ObjectNode body = OpenSearchClient.JSON.createObjectNode();
        ObjectNode index = body.putObject("settings").putObject("index");
        index.put("number_of_shards", settings.shards());
        index.put("number_of_replicas", settings.replicas());
        index.put("knn", true);
        index.put("max_inner_result_window", MAX_INNER_HITS);
        index.put("mapping.nested_objects.limit", MAX_CHUNKS_PER_DOCUMENT);
        String analyzer = analysis(manifest.textAnalysis(), index);

        ObjectNode mappings = body.putObject("mappings");
        mappings.put("dynamic", "strict");
        mappings.set("_meta", meta(manifest));
        ArrayNode templates = mappings.putArray("dynamic_templates");
        template(templates, OpenSearchFilters.STRING, "keyword");
        template(templates, OpenSearchFilters.LONG, "long");
        template(templates, OpenSearchFilters.DOUBLE, "double");

        ObjectNode p = mappings.putObject("properties");
        p.putObject("doc_id").put("type", "keyword");
        for (String stored : List.of("title", "mime", "hash")) {
            p.putObject(stored).put("type", "keyword").put("index", false).put("doc_values", false);
        }
        p.putObject("size").put("type", "long").put("index", false).put("doc_values", false);
        p.putObject("mtime").put("type", "long").put("index", false).put("doc_values", false);
        p.putObject("chunk_count").put("type", "integer");
        p.putObject("extra").put("type", "object").put("enabled", false);
        for (String kind : List.of(OpenSearchFilters.STRING, OpenSearchFilters.LONG, OpenSearchFilters.DOUBLE)) {
            p.putObject(kind).put("type", "object").put("dynamic", true);
        }
        ObjectNode chunks = p.putObject(F_CHUNKS);
        chunks.put("type", "nested");
        ObjectNode c = chunks.putObject("properties");
        c.putObject("ordinal").put("type", "integer");
        c.putObject("text").put("type", "text").put("analyzer", analyzer);
        c.putObject("title_text").put("type", "text").put("analyzer", analyzer);
        ObjectNode vector = c.putObject("vector");
        vector.put("type", "knn_vector").put("dimension", manifest.dimension()).put("space_type", "innerproduct");
        ObjectNode method = vector.putObject("method").put("name", "hnsw").put("engine", "lucene");
        method.putObject("parameters")
                .put("m", manifest.vectorFormat().maxConn())
                .put("ef_construction", manifest.vectorFormat().beamWidth());
        return body;
    }

    /** The mapping's {@code _meta}: the manifest under {@link #META}, as the local index's user data. */
    private static ObjectNode meta(IndexManifest manifest) {
        ObjectNode meta = OpenSearchClient.JSON.createObjectNode();
        ObjectNode localrag = meta.putObject(META);
        manifest.toUserData().forEach(localrag::put);
        return meta;
    }

    private static void template(ArrayNode templates, String kind, String type) {
        ObjectNode t = templates.addObject().putObject(kind);
        t.put("path_match", kind + ".*");
        t.putObject("mapping").put("type", type);
    }

    /**
     * The OpenSearch analyzer for {@code analysis}, defining a custom one in {@code index} when
     * needed: {@code english} and {@code cjk} are OpenSearch's (Lucene's {@code EnglishAnalyzer} and
     * {@code CJKAnalyzer}, as locally); {@code auto} is the local script-aware chain rebuilt from
     * OpenSearch's filters (CJK bigrams, English stop words and Porter stemming for other words).
     */
    static String analysis(TextAnalysis analysis, ObjectNode index) {
        return switch (analysis) {
            case ENGLISH -> "english";
            case CJK -> "cjk";
            case AUTO -> {
                ObjectNode a = index.putObject("analysis");
                ObjectNode filters = a.putObject("filter");
                filters.putObject("localrag_possessive").put("type", "stemmer").put("language", "possessive_english");
                filters.putObject("localrag_stop").put("type", "stop").put("stopwords", "_english_");
                filters.putObject("localrag_cjk_keywords")
                        .put("type", "keyword_marker")
                        .put("keywords_pattern", "^[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}]+$");
                ObjectNode analyzer = a.putObject("analyzer").putObject("localrag_auto");
                analyzer.put("type", "custom").put("tokenizer", "standard");
                ArrayNode chain = analyzer.putArray("filter");
                for (String f : List.of(
                        "cjk_width",
                        "lowercase",
                        "cjk_bigram",
                        "localrag_possessive",
                        "localrag_stop",
                        "localrag_cjk_keywords",
                        "porter_stem")) {
                    chain.add(f);
                }
                yield "localrag_auto";
            }
        };
    }

    @Override
    public String location() {
        return location.toString();
    }

    /** The cluster and index this index lives in. */
    public OpenSearchLocation openSearchLocation() {
        return location;
    }

    @Override
    public IndexManifest manifest() {
        return manifest;
    }

    /**
     * {@inheritDoc} Stored at once: the mapping's {@code _meta} is updated (a mapping change, on the
     * cluster state, so every node and later opens see it).
     */
    @Override
    public synchronized void recordHybridVectorWeight(double weight) {
        checkWritable();
        IndexManifest updated = manifest.withHybridVectorWeight(weight);
        ObjectNode body = OpenSearchClient.JSON.createObjectNode();
        body.set("_meta", meta(updated));
        client.call("PUT", path + "/_mapping", body);
        manifest = updated;
    }

    /**
     * Cluster health ({@code GET _cluster/health} of this index) and the index's settings, for
     * {@code rag doctor}.
     */
    public JsonNode health() {
        ObjectNode out = OpenSearchClient.JSON.createObjectNode();
        out.set("cluster", client.call("GET", "/_cluster/health" + path, null));
        out.set(
                "settings",
                client.call("GET", path + "/_settings", null)
                        .path(location.index())
                        .path("settings"));
        return out;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void replaceDocument(SourceDocument document, List<ChunkRecord> chunks) {
        Checks.notNull(document, "document");
        Checks.notNull(chunks, "chunks");
        checkWritable();
        if (chunks.size() > MAX_CHUNKS_PER_DOCUMENT) {
            throw new IllegalArgumentException(document.id() + " has " + chunks.size() + " chunks; an OpenSearch"
                    + " index holds at most " + MAX_CHUNKS_PER_DOCUMENT + " per document");
        }
        ObjectNode record = OpenSearchClient.JSON.createObjectNode();
        record.put("doc_id", document.id());
        record.put("title", document.title());
        record.put("mime", document.mimeType());
        record.put("hash", document.contentHash());
        record.put("size", document.size());
        record.put("mtime", document.modifiedMillis());
        record.put("chunk_count", chunks.size());
        OpenSearchFilters.addTo(record, document);
        ArrayNode nested = record.putArray(F_CHUNKS);
        for (ChunkRecord chunk : chunks) {
            if (chunk.vector().length != manifest.dimension()) {
                throw new IllegalArgumentException("chunk " + chunk.ordinal() + " of " + document.id() + " has a "
                        + chunk.vector().length + "-d vector; index " + location + " holds " + manifest.dimension()
                        + "-d vectors from " + manifest.embedder());
            }
            ObjectNode c = nested.addObject();
            c.put("ordinal", chunk.ordinal());
            c.put("text", chunk.text());
            c.put("title_text", document.title());
            ArrayNode v = c.putArray("vector");
            for (float f : chunk.vector()) {
                v.add(f);
            }
        }
        ObjectNode action = OpenSearchClient.JSON.createObjectNode();
        action.putObject("index").put("_id", docKey(document.id()));
        queue(action, record);
    }

    @Override
    public void deleteDocument(String documentId) {
        Checks.notBlank(documentId, "documentId");
        checkWritable();
        ObjectNode action = OpenSearchClient.JSON.createObjectNode();
        action.putObject("delete").put("_id", docKey(documentId));
        queue(action, null);
    }

    /**
     * Adds a write to the pending bulk request, sent when it is large enough and before anything that
     * must see it (refresh, commit, delete-matching, close). Writes of one document stay in order:
     * one bulk request, one shard.
     */
    private synchronized void queue(ObjectNode action, ObjectNode source) {
        try {
            pending.append(OpenSearchClient.JSON.writeValueAsString(action)).append('\n');
            if (source != null) {
                pending.append(OpenSearchClient.JSON.writeValueAsString(source)).append('\n');
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write a document as JSON", e);
        }
        pendingOperations++;
        if (pendingOperations >= BULK_OPERATIONS || pending.length() >= BULK_CHARS) {
            flush();
        }
    }

    /** Sends the pending writes; every one must succeed. */
    private synchronized void flush() {
        if (pendingOperations == 0) {
            return;
        }
        String body = pending.toString();
        pending.setLength(0);
        pendingOperations = 0;
        JsonNode r = client.call("POST", path + "/_bulk?refresh=false", body);
        if (r.path("errors").asBoolean()) {
            for (JsonNode item : r.path("items")) {
                JsonNode result = item.elements().next();
                int status = result.path("status").asInt();
                boolean absentDelete = item.has("delete") && status == 404;
                if (status >= 300 && !absentDelete) {
                    throw new LocalRagException("Writing " + result.path("_id").asText() + " to OpenSearch index "
                            + location + " failed (" + status + "): " + OpenSearchClient.reason(result));
                }
            }
        }
    }

    @Override
    public int deleteMatching(Filter filter) {
        Checks.notNull(filter, "filter");
        ObjectNode query = OpenSearchFilters.toQuery(filter);
        checkWritable();
        refresh(); // include changes not yet visible
        return deleteByQuery(query);
    }

    @Override
    public void deleteAll() {
        checkWritable();
        refresh();
        ObjectNode all = OpenSearchClient.JSON.createObjectNode();
        all.putObject("match_all");
        deleteByQuery(all);
    }

    private int deleteByQuery(ObjectNode query) {
        ObjectNode body = OpenSearchClient.JSON.createObjectNode();
        body.set("query", query);
        JsonNode r = client.call("POST", path + "/_delete_by_query?refresh=false", body);
        if (r.path("failures").size() > 0) {
            throw new LocalRagException("Deleting from OpenSearch index " + location + " failed in part: "
                    + r.path("failures").get(0));
        }
        return r.path("deleted").asInt();
    }

    @Override
    public void refresh() {
        flush();
        JsonNode r = client.call("POST", path + "/_refresh", null);
        if (r.path("_shards").path("successful").asInt() == 0) {
            throw new LocalRagException("Refresh of OpenSearch index " + location + " reached no shard: " + r);
        }
    }

    /**
     * Makes changes visible. They are already durable: OpenSearch acknowledges a write once its
     * translog (on every in-sync copy) holds it.
     */
    @Override
    public void commit() {
        refresh();
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Map<String, SourceDocument> documents() {
        Map<String, SourceDocument> out = new LinkedHashMap<>();
        JsonNode after = null;
        while (true) {
            ObjectNode body = OpenSearchClient.JSON.createObjectNode();
            body.put("size", 1000);
            body.putArray("sort").addObject().put("doc_id", "asc");
            body.putObject("_source")
                    .putArray("excludes")
                    .add(F_CHUNKS)
                    .add("ms")
                    .add("ml")
                    .add("md");
            body.putObject("query").putObject("match_all");
            if (after != null) {
                body.set("search_after", after);
            }
            JsonNode hits = search(path + "/_search", body).path("hits").path("hits");
            for (JsonNode hit : hits) {
                SourceDocument doc = sourceDocument(hit.path("_source"));
                out.put(doc.id(), doc);
                after = hit.path("sort");
            }
            if (hits.size() < 1000) {
                return out;
            }
        }
    }

    private static SourceDocument sourceDocument(JsonNode s) {
        return new SourceDocument(
                s.path("doc_id").asText(),
                s.path("title").asText(""),
                s.path("mime").asText(""),
                s.path("hash").asText(""),
                s.path("size").asLong(),
                s.path("mtime").asLong(),
                OpenSearchFilters.read(s.path("extra")));
    }

    @Override
    public int chunkCount(String documentId) {
        Checks.notBlank(documentId, "documentId");
        JsonNode doc = getDocument(documentId, "?_source_includes=chunks.ordinal");
        return doc == null ? 0 : doc.path(F_CHUNKS).size();
    }

    @Override
    public List<SearchHit> chunks(String documentId) {
        Checks.notBlank(documentId, "documentId");
        JsonNode doc = getDocument(documentId, "?_source_excludes=chunks.vector");
        if (doc == null) {
            return List.of();
        }
        List<SearchHit> out = new ArrayList<>();
        String title = doc.path("title").asText("");
        for (JsonNode c : doc.path(F_CHUNKS)) {
            out.add(new SearchHit(
                    documentId, title, c.path("ordinal").asInt(), c.path("text").asText(), 0));
        }
        out.sort(Comparator.comparingInt(SearchHit::ordinal));
        return out;
    }

    @Override
    public List<ChunkRecord> chunkRecords(String documentId) {
        Checks.notBlank(documentId, "documentId");
        JsonNode doc = getDocument(documentId, "");
        if (doc == null) {
            return List.of();
        }
        List<ChunkRecord> out = new ArrayList<>();
        for (JsonNode c : doc.path(F_CHUNKS)) {
            out.add(new ChunkRecord(c.path("ordinal").asInt(), c.path("text").asText(), vector(c.path("vector"))));
        }
        out.sort(Comparator.comparingInt(ChunkRecord::ordinal));
        return out;
    }

    private JsonNode getDocument(String documentId, String query) {
        String p = docPath(documentId) + query;
        OpenSearchClient.Response r = client.send("GET", p, null);
        if (r.status() == 404) {
            return null;
        }
        if (!r.ok()) {
            throw client.failure("GET", p, r);
        }
        return r.body().path("_source");
    }

    private static float[] vector(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).floatValue();
        }
        return v;
    }

    @Override
    public IndexStats stats() {
        ObjectNode body = OpenSearchClient.JSON.createObjectNode();
        body.put("size", 0);
        body.put("track_total_hits", true);
        body.putObject("aggs").putObject("chunks").putObject("sum").put("field", "chunk_count");
        JsonNode r = search(path + "/_search", body);
        return new IndexStats(r.path("hits").path("total").path("value").asInt(), (int)
                r.path("aggregations").path("chunks").path("value").asDouble());
    }

    // ---------------------------------------------------------------- search

    /** A chunk's key in the fused rankings: its document's id and its ordinal. */
    private static String key(SearchHit hit) {
        return hit.documentId() + "#" + hit.ordinal();
    }

    /**
     * @param candidates best first
     * @param full whether a ranking returned as many candidates as asked, so more may exist
     */
    private record Ranking(List<SearchHit> candidates, boolean full) {}

    @Override
    public List<SearchHit> search(SearchRequest request) {
        Checks.notNull(request, "request");
        if (request.mode() != SearchMode.KEYWORD && request.vector().length != manifest.dimension()) {
            throw new IllegalArgumentException("query vector has " + request.vector().length + " dimensions; index "
                    + location + " holds " + manifest.dimension() + "-d vectors");
        }
        ObjectNode filter = request.filter() == null ? null : OpenSearchFilters.toQuery(request.filter());
        int k = request.k();
        int depth = request.mode() == SearchMode.HYBRID ? Math.max(ChunkSearch.HYBRID_MIN_DEPTH, 4 * k) : k;
        if (request.maxChunksPerDocument() > 0) {
            depth = Math.max(depth, 4 * k);
        }
        // a hybrid search ranks twice: both rankings must see the same point in time
        String pit = request.mode() == SearchMode.HYBRID ? openPointInTime() : null;
        try {
            while (true) {
                int d = Math.min(depth, MAX_INNER_HITS);
                Ranking ranking = rank(request, filter, d, pit);
                List<SearchHit> hits = select(request, ranking.candidates());
                boolean moreAvailable = ranking.full() && d < ChunkSearch.MAX_DEPTH && d < MAX_INNER_HITS;
                if (hits.size() >= k || !moreAvailable || request.maxChunksPerDocument() == 0) {
                    return request.includeVectors() ? withVectors(hits) : hits;
                }
                depth = d * 4; // the cap dropped too many: widen the candidate set
            }
        } finally {
            if (pit != null) {
                closePointInTime(pit);
            }
        }
    }

    private Ranking rank(SearchRequest request, ObjectNode filter, int depth, String pit) {
        return switch (request.mode()) {
            case VECTOR -> {
                List<SearchHit> v = vectorHits(request, depth, filter, pit);
                yield new Ranking(v, v.size() >= depth);
            }
            case KEYWORD -> {
                List<SearchHit> kw = keywordHits(request, depth, filter, pit);
                yield new Ranking(kw, kw.size() >= depth);
            }
            case HYBRID -> {
                List<SearchHit> v = vectorHits(request, depth, filter, pit);
                List<SearchHit> kw = request.text() == null || request.text().isBlank()
                        ? List.of()
                        : keywordHits(request, depth, filter, pit);
                yield new Ranking(fuse(request, v, kw, depth), v.size() >= depth || kw.size() >= depth);
            }
        };
    }

    /**
     * Hybrid rankings fused by the request's {@link HybridFusion}, the same code as the local index,
     * link-list damped as {@link #select} reads them.
     */
    private List<SearchHit> fuse(SearchRequest request, List<SearchHit> vector, List<SearchHit> keyword, int depth) {
        Map<String, SearchHit> byKey = new HashMap<>();
        List<HybridFusion.Scored<String>> v = scored(vector, byKey);
        List<HybridFusion.Scored<String>> kw = scored(keyword, byKey);
        List<HybridFusion.Scored<String>> damped = request.hybridFusion(manifest.defaultVectorWeight())
                .damped(v, kw, depth, key -> byKey.get(key).text());
        return HybridFusion.mapped(damped, s -> byKey.get(s.key()).withScore(s.score()));
    }

    private static List<HybridFusion.Scored<String>> scored(List<SearchHit> ranking, Map<String, SearchHit> byKey) {
        List<HybridFusion.Scored<String>> out = new ArrayList<>(ranking.size());
        for (SearchHit c : ranking) {
            byKey.putIfAbsent(key(c), c);
            out.add(new HybridFusion.Scored<>(key(c), c.score()));
        }
        return out;
    }

    /**
     * The {@code n} nearest chunks: the nested k-NN query finds the documents with the nearest chunks
     * (the filter inside the graph search), {@code expand_nested_docs} scores every chunk of them.
     */
    private List<SearchHit> vectorHits(SearchRequest request, int n, ObjectNode filter, String pit) {
        ObjectNode knn = OpenSearchClient.JSON.createObjectNode();
        ObjectNode field = knn.putObject("knn").putObject(F_CHUNKS + ".vector");
        ArrayNode v = field.putArray("vector");
        for (float f : request.vector()) {
            v.add(f);
        }
        field.put("k", request.graphCandidates(n));
        field.put("expand_nested_docs", true);
        if (filter != null) {
            field.set("filter", filter);
        }
        ObjectNode body = searchBody(request, n, nested(knn, n), pit);
        return candidates(search(pit == null ? path + "/_search" : "/_search", body), true);
    }

    /** The {@code n} best BM25 chunks (text, and title at half weight, as locally), the filter around. */
    private List<SearchHit> keywordHits(SearchRequest request, int n, ObjectNode filter, String pit) {
        ObjectNode match = OpenSearchClient.JSON.createObjectNode();
        ArrayNode should = match.putObject("bool").putArray("should");
        should.addObject().putObject("match").putObject(F_CHUNKS + ".text").put("query", request.text());
        should.addObject()
                .putObject("match")
                .putObject(F_CHUNKS + ".title_text")
                .put("query", request.text())
                .put("boost", 0.5);
        ObjectNode query = nested(match, n);
        if (filter != null) {
            ObjectNode bool = OpenSearchClient.JSON.createObjectNode();
            ObjectNode b = bool.putObject("bool");
            b.putArray("must").add(query);
            b.putArray("filter").add(filter);
            query = bool;
        }
        ObjectNode body = searchBody(request, n, query, pit);
        // global term statistics, so BM25 scores do not depend on how documents fall on shards
        String p = (pit == null ? path + "/_search" : "/_search") + "?search_type=dfs_query_then_fetch";
        return candidates(search(p, body), false);
    }

    private static ObjectNode nested(ObjectNode chunkQuery, int n) {
        ObjectNode q = OpenSearchClient.JSON.createObjectNode();
        ObjectNode nested = q.putObject("nested");
        nested.put("path", F_CHUNKS);
        nested.put("score_mode", "max");
        nested.set("query", chunkQuery);
        ObjectNode inner = nested.putObject("inner_hits");
        inner.put("size", n);
        // never the vectors: inner hits' sources come back without them (k-NN vectors are not kept
        // in _source); withVectors() reads the selected hits' vectors from their documents
        inner.putArray("_source").add(F_CHUNKS + ".ordinal").add(F_CHUNKS + ".text");
        return q;
    }

    private static ObjectNode searchBody(SearchRequest request, int n, ObjectNode query, String pit) {
        ObjectNode body = OpenSearchClient.JSON.createObjectNode();
        body.put("size", n);
        ArrayNode source = body.putObject("_source").putArray("includes");
        for (String f : DOCUMENT_SOURCE) {
            source.add(f);
        }
        body.set("query", query);
        if (pit != null) {
            body.putObject("pit").put("id", pit).put("keep_alive", "1m");
        }
        return body;
    }

    /** The chunks (inner hits) of a search's document hits, best first. */
    private static List<SearchHit> candidates(JsonNode response, boolean vectorScores) {
        List<SearchHit> out = new ArrayList<>();
        for (JsonNode hit : response.path("hits").path("hits")) {
            JsonNode s = hit.path("_source");
            String id = s.path("doc_id").asText();
            String title = s.path("title").asText("");
            String mime = s.path("mime").asText("");
            Map<String, Object> metadata = OpenSearchFilters.read(s.path("extra"));
            for (JsonNode inner :
                    hit.path("inner_hits").path(F_CHUNKS).path("hits").path("hits")) {
                JsonNode c = inner.path("_source");
                double score = inner.path("_score").asDouble();
                out.add(new SearchHit(
                        id,
                        title,
                        c.path("ordinal").asInt(),
                        c.path("text").asText(),
                        vectorScores ? unitScore(score) : score,
                        mime,
                        metadata,
                        null));
            }
        }
        out.sort(Comparator.comparingDouble(SearchHit::score)
                .reversed()
                .thenComparing(SearchHit::documentId)
                .thenComparingInt(SearchHit::ordinal));
        return out;
    }

    /**
     * OpenSearch's inner-product score ({@code 1 + dot} for a non-negative dot product, else {@code
     * 1 / (1 - dot)}) as the local index's {@code (1 + dot) / 2}, so min-score means the same on both.
     */
    static double unitScore(double openSearchScore) {
        double dot = openSearchScore >= 1 ? openSearchScore - 1 : 1 - 1 / openSearchScore;
        return (1 + dot) / 2;
    }

    private static List<SearchHit> select(SearchRequest request, List<SearchHit> ranked) {
        int cap = request.maxChunksPerDocument();
        Map<String, Integer> perDocument = new HashMap<>();
        List<SearchHit> out = new ArrayList<>(Math.min(request.k(), ranked.size()));
        for (int i = 0; i < ranked.size() && out.size() < request.k(); i++) {
            SearchHit c = ranked.get(i);
            if (request.minScore() > 0 && c.score() < request.minScore()) { // fused scores may be negative
                break; // ranked best first
            }
            if (cap > 0 && perDocument.merge(c.documentId(), 1, Integer::sum) > cap) {
                continue;
            }
            out.add(c);
        }
        return out;
    }

    /**
     * The hits with their stored vectors, read from their documents ({@code _mget}: one round trip
     * for all of them, as the local index reads one per hit).
     */
    private List<SearchHit> withVectors(List<SearchHit> hits) {
        if (hits.isEmpty()) {
            return hits;
        }
        ObjectNode body = OpenSearchClient.JSON.createObjectNode();
        ArrayNode docs = body.putArray("docs");
        hits.stream()
                .map(SearchHit::documentId)
                .distinct()
                .forEach(id -> docs.addObject().put("_id", docKey(id)));
        JsonNode response = client.call("POST", path + "/_mget", body);
        Map<String, float[]> vectors = new HashMap<>();
        for (JsonNode doc : response.path("docs")) {
            for (JsonNode c : doc.path("_source").path(F_CHUNKS)) {
                vectors.put(doc.path("_id").asText() + "#" + c.path("ordinal").asInt(), vector(c.path("vector")));
            }
        }
        List<SearchHit> out = new ArrayList<>(hits.size());
        for (SearchHit h : hits) {
            float[] v = vectors.get(docKey(h.documentId()) + "#" + h.ordinal());
            if (v == null || v.length != manifest.dimension()) {
                throw new LocalRagException("OpenSearch index " + location + " returned no stored vector for chunk "
                        + h.ordinal() + " of " + h.documentId() + " (was it deleted meanwhile? search again)");
            }
            out.add(h.withVector(v));
        }
        return out;
    }

    /**
     * Runs a search. One that some shard could not answer (its copies moving after a node left) is
     * retried for a while, then an error: never a partial result.
     */
    private JsonNode search(String p, ObjectNode body) {
        for (int attempt = 1; ; attempt++) {
            JsonNode r = client.call("POST", p, body);
            JsonNode shards = r.path("_shards");
            if (shards.path("failed").asInt() == 0) {
                return r;
            }
            if (attempt == SHARD_FAILURE_ATTEMPTS) {
                throw new LocalRagException("OpenSearch index " + location + " answered from only "
                        + shards.path("successful").asInt() + " of "
                        + shards.path("total").asInt()
                        + " shards, " + attempt + " times: " + shards.path("failures"));
            }
            try {
                Thread.sleep(100L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalRagException("Interrupted while searching " + location, e);
            }
        }
    }

    private String openPointInTime() {
        return client.call("POST", path + "/_search/point_in_time?keep_alive=1m", null)
                .path("pit_id")
                .asText();
    }

    private void closePointInTime(String pit) {
        ObjectNode body = OpenSearchClient.JSON.createObjectNode();
        body.putArray("pit_id").add(pit);
        client.send("DELETE", "/_search/point_in_time", body); // expires by itself within a minute otherwise
    }

    // ---------------------------------------------------------------- ids

    private String docPath(String documentId) {
        return path + "/_doc/"
                + URLEncoder.encode(docKey(documentId), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The OpenSearch {@code _id} of a document: its id, or a SHA-256 of it when too long for an {@code _id}. */
    static String docKey(String documentId) {
        byte[] utf8 = documentId.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= 256) {
            return documentId;
        }
        try {
            return "sha256-"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkWritable() {
        if (!writable) {
            throw new IllegalStateException("index " + location + " was opened read-only");
        }
    }

    /** Sends and commits pending changes, and releases the connection. */
    @Override
    public void close() {
        try {
            if (writable) {
                commit();
            }
        } finally {
            client.close();
        }
    }
}
