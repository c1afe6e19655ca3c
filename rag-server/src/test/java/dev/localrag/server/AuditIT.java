package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.localrag.core.config.AuditSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.testing.OllamaTestServer;
import dev.localrag.runtime.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every write through the server leaves exactly one audit line; a write that cannot be recorded is refused. */
class AuditIT {

    static final String KEY = "audit-key-0123456789abcdef";

    @TempDir
    Path tmp;

    @Test
    void eachWriteKindLeavesExactlyOneLine() throws Exception {
        Path docs = TestCorpus.writeDocs(tmp.resolve("docs"));
        try (OllamaTestServer ollama =
                new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM)) {
            Path index = tmp.resolve("index");
            Path fresh = tmp.resolve("fresh");
            try (LocalRagServer server = LocalRagServer.create(
                            ServerConfig.builder()
                                    .host("127.0.0.1")
                                    .port(0)
                                    .collection("docs", fast(TestCorpus.config(index, ollama.baseUrl())))
                                    .collection("fresh", fast(TestCorpus.config(fresh, ollama.baseUrl())))
                                    .apiKeys(Set.of(KEY))
                                    .ingestRoots(List.of(docs))
                                    .shutdownGrace(Duration.ofSeconds(5))
                                    .build(),
                            n -> {})
                    .start()) {
                Http http = new Http(server.baseUrl(), KEY);
                Path log = tmp.resolve("index-audit.jsonl");

                // two collections were created: one line each, in each collection's own log
                assertThat(lines(log)).hasSize(1);
                assertThat(lines(tmp.resolve("fresh-audit.jsonl"))).hasSize(1);
                assertThat(lines(log).get(0).path("action").asText()).isEqualTo("collection created");

                Http.Response ingest = http.post("/v1/ingest", "{\"path\":\"" + docs + "\",\"collection\":\"docs\"}");
                assertThat(ingest.status()).as(ingest.toString()).isEqualTo(202);
                awaitJob(http, ingest.json().path("id").asText());
                assertThat(lines(log)).hasSize(2);

                Http.Response upload = http.send(
                        LocalRagServerIT.multipart(http, "/v1/documents", "docs", "notes.md", "# Notes\n\nHi."));
                assertThat(upload.status()).as(upload.toString()).isEqualTo(202);
                awaitJob(http, upload.json().path("id").asText());
                assertThat(lines(log)).hasSize(3);

                String id = DocumentIds.encode(docs.resolve("gpu.md").toString());
                Http.Response delete = http.delete("/v1/documents/" + id + "?collection=docs");
                assertThat(delete.status()).as(delete.toString()).isEqualTo(200);

                List<JsonNode> entries = lines(log);
                assertThat(entries).hasSize(4);
                assertThat(entries.stream().map(e -> e.path("action").asText()))
                        .containsExactly(
                                "collection created",
                                "POST /v1/ingest",
                                "POST /v1/documents",
                                "DELETE /v1/documents/{id}");
                JsonNode ingested = entries.get(1);
                assertThat(ingested.path("actor").asText()).isEqualTo(AuditLog.keyFingerprint(KEY));
                assertThat(ingested.path("client").asText()).isEqualTo("127.0.0.1");
                assertThat(ingested.path("collection").asText()).isEqualTo("docs");
                assertThat(ingested.path("paths").get(0).asText()).isEqualTo(docs.toString());
                assertThat(ingested.path("outcome").asText()).isEqualTo("succeeded");
                assertThat(ingested.path("counts").path("filesSeen").asInt()).isEqualTo(3);
                assertThat(entries.get(2).path("paths").get(0).asText()).endsWith("notes.md");
                assertThat(entries.get(3).path("paths").get(0).asText())
                        .isEqualTo(docs.resolve("gpu.md").toString());
                assertThat(Files.readString(log)).doesNotContain(KEY);

                // reads leave no line
                http.post("/v1/search", "{\"query\":\"port\",\"collection\":\"docs\"}");
                http.get("/v1/documents?collection=docs");
                assertThat(lines(log)).hasSize(4);
            }
        }
    }

    @Test
    void aWriteThatCannotBeRecordedIsRefused() throws Exception {
        Path docs = TestCorpus.writeDocs(tmp.resolve("docs"));
        try (OllamaTestServer ollama =
                new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM)) {
            Path index = tmp.resolve("index");
            TestCorpus.ingest(fast(TestCorpus.config(index, ollama.baseUrl())), docs);
            Path notAFile = Files.createDirectories(tmp.resolve("audit-is-a-folder"));
            RagConfig rag = fast(TestCorpus.config(index, ollama.baseUrl()))
                    .withAudit(new AuditSettings(notAFile, AuditSettings.DEFAULT.maxBytes(), 1));
            try (LocalRagServer server = LocalRagServer.create(
                            ServerConfig.builder()
                                    .host("127.0.0.1")
                                    .port(0)
                                    .collection("docs", rag)
                                    .ingestRoots(List.of(docs))
                                    .build(),
                            n -> {})
                    .start()) {
                Http http = new Http(server.baseUrl());
                Files.writeString(docs.resolve("new.md"), "# New\n\nA new file.");

                Http.Response ingest = http.post("/v1/ingest", "{\"path\":\"" + docs + "\"}");
                LocalRagServerIT.assertError(ingest, 503, "audit_unavailable", "audit log");
                String id = DocumentIds.encode(docs.resolve("gpu.md").toString());
                LocalRagServerIT.assertError(http.delete("/v1/documents/" + id), 503, "audit_unavailable", "refused");

                assertThat(http.get("/v1/documents").json().path("total").asInt())
                        .isEqualTo(3);
            }
        }
    }

    /** Parses in-process: these tests are about the audit lines, not parser isolation. */
    private static RagConfig fast(RagConfig config) {
        return config.withIngest(config.ingest().withIsolate(false));
    }

    private static List<JsonNode> lines(Path log) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            out.add(Http.JSON.readTree(line));
        }
        return out;
    }

    private static void awaitJob(Http http, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode job = http.get("/v1/jobs/" + id).json();
            String status = job.path("status").asText();
            if (!status.equals("queued") && !status.equals("running")) {
                assertThat(status).as(job.toString()).isEqualTo("succeeded");
                return;
            }
            assertThat(System.nanoTime()).as("job did not finish: " + job).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
