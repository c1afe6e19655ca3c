package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.testing.OllamaTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rag serve --watch: a collection kept in step with a folder while the server runs. */
class ServerWatchIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void aWatchedFolderIsSyncedAndItsChangesReachTheCollectionAsAuditedJobs() throws Exception {
        Path docs = TestCorpus.writeDocs(tmp.resolve("docs"));
        List<String> notices = new CopyOnWriteArrayList<>();
        try (OllamaTestServer ollama =
                new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM)) {
            RagConfig config = TestCorpus.config(tmp.resolve("index"), ollama.baseUrl());
            try (LocalRagServer server = LocalRagServer.create(
                            ServerConfig.builder()
                                    .host("127.0.0.1")
                                    .port(0)
                                    .collection(
                                            "docs",
                                            config.withIngest(config.ingest().withIsolate(false)))
                                    .watch("docs", docs)
                                    .shutdownGrace(Duration.ofSeconds(5))
                                    .build(),
                            notices::add)
                    .start()) {
                Http http = new Http(server.baseUrl(), null);

                // given the first sync of the watched folder
                awaitState(() -> notices.stream().anyMatch(n -> n.startsWith("watch docs: synced")), notices);
                int documents = documents(http);
                assertThat(documents).isEqualTo(3);

                // when a file is added to the folder, the collection gets it
                Files.writeString(docs.resolve("new.md"), "# New\n\nThe pump is called Zephyr.");
                awaitState(() -> documents(http) == documents + 1, notices);
                awaitState(() -> notices.stream().anyMatch(n -> n.startsWith("watch docs: changes in")), notices);
                assertThat(notices).anyMatch(n -> n.contains("1 added"));

                // and each sync is an audited ingest job of the collection
                List<String> actions = new ArrayList<>();
                for (String line : Files.readAllLines(tmp.resolve("index-audit.jsonl"))) {
                    actions.add(Http.JSON.readTree(line).path("action").asText());
                }
                assertThat(actions).containsExactly("collection created", "watch", "watch");
            }
        }
    }

    @Test
    void watchingACollectionThatIsNotServedIsRefused() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.builder()
                        .collection("docs", TestCorpus.config(tmp.resolve("index"), java.net.URI.create("http://x")))
                        .watch("other", docs)
                        .build())
                .hasMessageContaining("no collection \"other\" is served");
    }

    private static int documents(Http http) {
        JsonNode body = http.get("/v1/documents?collection=docs").json();
        return body.path("documents").size();
    }

    private static void awaitState(BooleanSupplier condition, List<String> notices) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within " + DEADLINE + "; notices " + notices);
            }
            Thread.sleep(50);
        }
    }
}
