package dev.localrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.ConfigLoader;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.testing.OllamaTestServer;
import dev.localrag.ingest.FolderWatcher;
import dev.localrag.ingest.IngestOptions;
import dev.localrag.ingest.IngestReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live folders against real files: each case changes the folder and waits (with a deadline) until
 * the index shows the change; nothing waits a fixed time.
 */
class WatchedIngestIT {

    private static final String MODEL = "qwen3-embedding:0.6b-q8_0";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path home;

    private OllamaTestServer ollama;
    private RagRuntime rag;
    private Path docs;
    private Path realDocs;
    private final List<FolderWatcher.Batch> batches = new CopyOnWriteArrayList<>();
    private final List<IngestReport> reports = new CopyOnWriteArrayList<>();
    private final List<Path> gone = new CopyOnWriteArrayList<>();
    private WatchedIngest watch;
    private final java.util.concurrent.atomic.AtomicInteger syncsStarted =
            new java.util.concurrent.atomic.AtomicInteger();
    private Thread runner;

    @BeforeEach
    void setUp() throws IOException {
        ollama = OllamaTestServer.builder().models(MODEL).dimension(16).build();
        RagConfig config = new ConfigLoader(
                        Map.of("OLLAMA_HOST", ollama.baseUrl().toString()), home)
                .load(null)
                .withIndexDir(home.resolve("index"))
                .withEmbedder("ollama:" + MODEL);
        config = config.withIngest(config.ingest().withIsolate(false));
        rag = RagRuntime.builder(config).build();
        docs = Files.createDirectories(home.resolve("docs"));
        realDocs = docs.toRealPath();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (watch != null) {
            watch.close();
            runner.join(TimeUnit.SECONDS.toMillis(60));
        }
        rag.close();
        ollama.close();
    }

    @Test
    void createModifyDeleteAndAnEditorSaveAreAppliedAsTheyHappen() throws Exception {
        // given a watched folder with one file, synced
        Files.writeString(docs.resolve("a.md"), "# Alpha\n\nThe pump is called Zephyr.");
        start(WatchedIngest.builder(rag, List.of(docs)));
        awaitIndex(() -> hasWord("zephyr"));
        assertThat(batches.getFirst().rescan()).isEqualTo(WatchedIngest.FIRST_SYNC);

        // when a file is created, it is indexed
        Files.writeString(docs.resolve("b.md"), "# Bravo\n\nThe valve is called Mistral.");
        awaitIndex(() -> hasWord("mistral"));

        // when a file is modified, its new words replace the old ones
        Files.writeString(docs.resolve("b.md"), "# Bravo\n\nThe valve is called Sirocco.");
        awaitIndex(() -> hasWord("sirocco") && !hasWord("mistral"));

        // when an editor saves through a temporary file and a rename, that is one sync
        int before = batches.size();
        Path temp = docs.resolve("a.md.tmp~");
        Files.writeString(temp, "# Alpha\n\nThe pump is called Bora.");
        Files.move(temp, docs.resolve("a.md"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        awaitIndex(() -> hasWord("bora") && !hasWord("zephyr"));
        assertThat(batches).hasSize(before + 1);
        assertThat(reports.getLast().updated()).isEqualTo(1);
        assertThat(documentIds()).containsExactlyInAnyOrder(id("a.md"), id("b.md"));

        // when a file is deleted, its document goes
        Files.delete(docs.resolve("b.md"));
        awaitIndex(() -> !hasWord("sirocco"));
        assertThat(documentIds()).containsExactly(id("a.md"));
        // and every sync is in the audit log
        assertThat(Files.readAllLines(rag.audit().file())).hasSize(batches.size());
    }

    @Test
    void renamesAndMovesBetweenSubfoldersKeepTheirVectorsAndNewSubfoldersAreWatched() throws Exception {
        // given a watched folder with a file in a subfolder
        Path a = Files.createDirectories(docs.resolve("a"));
        Files.writeString(a.resolve("x.md"), "# X\n\nThe turbine is called Helios.");
        start(WatchedIngest.builder(rag, List.of(docs)));
        awaitIndex(() -> hasWord("helios"));
        int embedded = embeddingRequests();

        // when the file moves to a new subfolder (made after the watch started) and is renamed
        Path b = Files.createDirectories(docs.resolve("b/deeper"));
        Files.move(a.resolve("x.md"), b.resolve("y.md"));

        // then the index has it under its new path, carried over without embedding it again
        awaitIndex(() -> documentIds().equals(List.of(id("b/deeper/y.md"))));
        assertThat(reports.getLast().moved()).isEqualTo(1);
        assertThat(embeddingRequests()).isEqualTo(embedded);

        // and a file created inside the new subfolder at once is seen
        Path c = Files.createDirectories(docs.resolve("c/d"));
        Files.writeString(c.resolve("z.md"), "# Z\n\nThe compressor is called Boreas.");
        awaitIndex(() -> hasWord("boreas"));

        // and a renamed folder's files follow it
        Files.move(docs.resolve("c"), docs.resolve("e"));
        awaitIndex(
                () -> documentIds().contains(id("e/d/z.md")) && !documentIds().contains(id("c/d/z.md")));
        Files.writeString(docs.resolve("e/d/w.md"), "# W\n\nThe fan is called Aeolus.");
        awaitIndex(() -> hasWord("aeolus"));
    }

    @Test
    void aThousandFilesWrittenAtOnceAreOneBatchAndIgnoreRulesApply() throws Exception {
        // given a watched folder that ignores *.log
        Files.writeString(docs.resolve(".ragignore"), "*.log\n");
        start(WatchedIngest.builder(rag, List.of(docs))
                .quietPeriod(Duration.ofSeconds(2))
                .maxDelay(Duration.ofMinutes(2)));
        awaitIndex(() -> batches.size() == 1);

        // when a checkout writes 1,000 files (and an ignored one)
        Path tree = Files.createDirectories(docs.resolve("src"));
        for (int i = 0; i < 1000; i++) {
            Path dir = Files.createDirectories(tree.resolve("p" + i % 10));
            Files.writeString(dir.resolve("f" + i + ".md"), "# File " + i + "\n\nWord w" + i + "x.");
        }
        Files.writeString(tree.resolve("build.log"), "noise");

        // then one sync indexes them all, and not the ignored file
        awaitIndex(() -> rag.index().stats().documents() == 1000);
        assertThat(batches).hasSize(2);
        assertThat(reports.getLast().added()).isEqualTo(1000);
        assertThat(documentIds()).doesNotContain(id("src/build.log"));
    }

    @Test
    void anOverflowOfTheEventQueueIsAFullRescan() throws Exception {
        // given a watch whose next sync is held up
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        start(WatchedIngest.builder(rag, List.of(docs)).sync((folders, listener, stop) -> {
            if (batches.size() == 1) { // the first change after the first sync
                held.countDown();
                await(hold);
            }
            return rag.ingest(folders, IngestOptions.DEFAULT, listener, stop);
        }));
        awaitIndex(() -> batches.size() == 1);
        Files.writeString(docs.resolve("first.md"), "# First\n\nThe first word is Levante.");
        await(held);

        // when more events come than the queue of one folder holds (512 in the JDK)
        for (int i = 0; i < 700; i++) {
            Files.writeString(docs.resolve("n" + i + ".md"), "# N" + i + "\n\nNumber n" + i + "x.");
        }
        hold.countDown();

        // then the overflow triggers a re-scan that misses nothing
        awaitIndex(() -> batches.stream().anyMatch(b -> b.rescan().contains("overflow")));
        awaitIndex(() -> rag.index().stats().documents() == 701);
        assertThat(hasWord("n699x")).isTrue();
    }

    @Test
    void aWatchedFolderThatDisappearsAndComesBackIsRescanned() throws Exception {
        // given a watched folder with two files
        Files.writeString(docs.resolve("a.md"), "# A\n\nThe wind is called Chinook.");
        Files.writeString(docs.resolve("b.md"), "# B\n\nThe rain is called Monsoon.");
        start(WatchedIngest.builder(rag, List.of(docs)));
        awaitIndex(() -> hasWord("chinook") && hasWord("monsoon"));

        // when it disappears, its documents stay (an unmounted drive is not an empty folder)
        delete(docs);
        awaitIndex(() -> gone.contains(realDocs));
        assertThat(rag.index().stats().documents()).isEqualTo(2);

        // and when it comes back with other files, it is re-scanned: gone files go, new ones come
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("a.md"), "# A\n\nThe wind is called Chinook.");
        Files.writeString(docs.resolve("c.md"), "# C\n\nThe snow is called Blizzard.");
        awaitIndex(() -> hasWord("blizzard") && !hasWord("monsoon"));
        assertThat(batches).anyMatch(b -> b.rescan().contains("came back"));

        // and it is watched again
        Files.writeString(docs.resolve("d.md"), "# D\n\nThe fog is called Haar.");
        awaitIndex(() -> hasWord("haar"));
    }

    @Test
    void closingDuringASyncStopsBetweenFilesAndLeavesACommittedIndex() throws Exception {
        // given a first sync of many files that is stopped once some are written
        for (int i = 0; i < 200; i++) {
            Files.writeString(docs.resolve("s" + i + ".md"), "# S" + i + "\n\nText s" + i + "x.");
        }
        CountDownLatch oneWritten = new CountDownLatch(1);
        WatchedIngest w = WatchedIngest.builder(rag, List.of(docs))
                .listener(listener(oneWritten))
                .options(IngestOptions.builder().commitEveryDocuments(10).build())
                .build();
        watch = w;
        runner = Thread.ofPlatform().start(w::run);
        await(oneWritten);

        // when the watch is closed
        w.close();
        runner.join(TimeUnit.SECONDS.toMillis(60));

        // then the run ended, stopped early or complete, and the index holds whole files only
        assertThat(runner.isAlive()).isFalse();
        IngestReport report = reports.getFirst();
        assertThat(rag.index().stats().documents()).isEqualTo(report.filesIndexed());
        assertThat(rag.index().stats().chunks()).isEqualTo(report.chunks());
        if (report.stoppedEarly()) {
            assertThat(report.filesIndexed()).isLessThan(200);
        }
    }

    @Test
    void localRagWatchesInTheBackgroundUntilItIsClosed() throws Exception {
        // given a LocalRag watching a folder
        List<IngestReport> synced = new CopyOnWriteArrayList<>();
        Path other = Files.createDirectories(home.resolve("other"));
        try (dev.localrag.ingest.LocalRag local = dev.localrag.ingest.LocalRag.builder()
                .index(home.resolve("local-index"))
                .embedder("ollama:" + MODEL)
                .ollamaHost(ollama.baseUrl().toString())
                .build()) {
            WatchedIngest w = local.watch(
                    new WatchedIngest.Listener() {
                        @Override
                        public void synced(FolderWatcher.Batch batch, IngestReport report) {
                            synced.add(report);
                        }
                    },
                    other);

            // when a file appears, it can be found
            Files.writeString(other.resolve("a.md"), "# A\n\nThe pump is called Zephyr.");
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (local.search("zephyr", 1).isEmpty()) {
                assertThat(System.nanoTime()).as("found within the deadline").isLessThan(end);
                Thread.sleep(50);
            }
            assertThat(w.folders()).containsExactly(other.toRealPath());
        }
        // and closing the LocalRag ended the watch after its syncs
        assertThat(synced).isNotEmpty();
    }

    @Test
    void onlyFoldersCanBeWatched() throws Exception {
        Path file = Files.writeString(docs.resolve("a.md"), "# A");
        assertThatThrownBy(() -> WatchedIngest.builder(rag, List.of(file)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("a.md is a file; watch the folder that holds it");
    }

    // ---- helpers ----

    private void start(WatchedIngest.Builder builder) {
        watch = builder.listener(listener(null)).build();
        runner = Thread.ofPlatform().name("watch").start(watch::run);
    }

    private WatchedIngest.Listener listener(CountDownLatch firstWrite) {
        return new WatchedIngest.Listener() {
            @Override
            public dev.localrag.ingest.IngestListener progress(FolderWatcher.Batch batch) {
                syncsStarted.incrementAndGet();
                return new dev.localrag.ingest.IngestListener() {
                    @Override
                    public void indexed(Path file, int chunks) {
                        if (firstWrite != null) {
                            firstWrite.countDown();
                        }
                    }
                };
            }

            @Override
            public void synced(FolderWatcher.Batch batch, IngestReport report) {
                reports.add(report);
                batches.add(batch);
            }

            @Override
            public void failed(FolderWatcher.Batch batch, RuntimeException e) {
                batches.add(batch);
            }

            @Override
            public void gone(Path folder) {
                gone.add(folder);
            }
        };
    }

    /**
     * Polls until {@code condition} holds and no sync is running (its report is in), failing after
     * the deadline (never a fixed sleep).
     */
    private void awaitIndex(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!(condition.getAsBoolean() && syncsStarted.get() == batches.size())) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the index did not reach the expected state within " + DEADLINE
                        + "; documents " + documentIds() + ", batches " + batches);
            }
            if (!runner.isAlive()) {
                throw new AssertionError("the watch ended early; batches " + batches);
            }
            Thread.sleep(50);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private boolean hasWord(String word) {
        return !rag.index().search(SearchMode.KEYWORD, word, null, 1).isEmpty();
    }

    private List<String> documentIds() {
        return rag.index().documents().keySet().stream().sorted().toList();
    }

    private String id(String relative) {
        return realDocs.resolve(relative).toString();
    }

    private int embeddingRequests() {
        return ollama.requests("/api/embed").size();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> paths =
                    new ArrayList<>(all.sorted(Comparator.reverseOrder()).toList());
            for (Path p : paths) {
                Files.delete(p);
            }
        }
    }
}
