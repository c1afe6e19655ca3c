package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.index.LuceneVectorIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real ingest process at random moments leaves an index that opens and holds only
 * whole documents; running the ingest again ends with exactly what an uninterrupted run gives.
 */
class CrashSafetyIT {

    @TempDir
    Path tmp;

    @Test
    void killedIngestsLeaveWholeDocumentsAndARerunCompletesTheJob() throws Exception {
        // given 60 Markdown files of 1..6 sections (one chunk per section)
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        for (int i = 0; i < 60; i++) {
            StringBuilder md = new StringBuilder("# Doc " + i + "\n\n");
            for (int s = 0; s <= i % 6; s++) {
                md.append("## Section ")
                        .append(s)
                        .append("\n\nText of section ")
                        .append(s)
                        .append(" in doc ")
                        .append(i)
                        .append(".\n\n");
            }
            Files.writeString(docs.resolve("doc-" + i + ".md"), md);
        }
        // and the result of an uninterrupted run
        Path reference = tmp.resolve("reference");
        assertThat(run(docs, reference, 0).waitFor(120, TimeUnit.SECONDS)).isTrue();
        Map<String, Integer> expected = chunkCounts(reference);
        assertThat(expected).hasSize(60);

        // when ingests are killed at random moments, twice on this content and twice after every third file
        // gained a section (so kills also land in the middle of replacing documents)
        Path crashed = tmp.resolve("crashed");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Integer> seenDocuments = new ArrayList<>();
        Map<String, Integer> before = expected;
        for (int round = 0; round < 4; round++) {
            if (round == 2) {
                for (int i = 0; i < 60; i += 3) {
                    Files.writeString(
                            docs.resolve("doc-" + i + ".md"),
                            "\n## Added\n\nA section added to doc " + i + ".\n",
                            java.nio.file.StandardOpenOption.APPEND);
                }
                Path reference2 = tmp.resolve("reference2");
                assertThat(run(docs, reference2, 0).waitFor(120, TimeUnit.SECONDS))
                        .isTrue();
                expected = chunkCounts(reference2);
            }
            // kill after a random number of files were handed to the index (the commit may or may not have
            // happened), plus a random delay: every stage of the pipeline gets hit across rounds and seeds
            Process p = run(docs, crashed, 100);
            int target = 1 + random.nextInt(25);
            waitForIndexedLines(p, target, TimeUnit.SECONDS.toNanos(60));
            Thread.sleep(random.nextInt(300));
            p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

            // then the index opens and every document in it is whole: the old or the new version
            int kill = round;
            Map<String, Integer> old = before;
            Map<String, Integer> now = expected;
            Map<String, Integer> partial = chunkCounts(crashed);
            seenDocuments.add(partial.size());
            partial.forEach((id, n) -> assertThat(n)
                    .as("chunks of %s after kill %d (seed %d)", id, kill, seed)
                    .isIn(old.get(id), now.get(id)));
            try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(crashed)) {
                assertThat(index.stats().chunks())
                        .as("no orphan chunks (seed %d)", seed)
                        .isEqualTo(partial.values().stream()
                                .mapToInt(Integer::intValue)
                                .sum());
            }
        }
        System.out.println("documents in the index after each kill (seed " + seed + "): " + seenDocuments);
        assertThat(seenDocuments)
                .as("some kill landed in the middle of the run (seed %d)", seed)
                .anyMatch(n -> n > 0 && n < 60);

        // and a full re-run ends where an uninterrupted run ends
        Process last = run(docs, crashed, 0);
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).isZero();
        assertThat(chunkCounts(crashed))
                .as("seed %d, documents after kills %s", seed, seenDocuments)
                .isEqualTo(expected);
    }

    private static Map<String, Integer> chunkCounts(Path indexDir) {
        if (LuceneVectorIndex.readManifest(indexDir) == null) {
            return Map.of();
        }
        try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(indexDir)) {
            Map<String, Integer> out = new TreeMap<>();
            for (String id : index.documents().keySet()) {
                out.put(id, index.chunkRecords(id).size());
            }
            return out;
        }
    }

    private Process run(Path docs, Path index, long delayMillis) throws IOException {
        return CrashIngestMain.start(
                docs, index, delayMillis, null, tmp.resolve("child-" + System.nanoTime() + ".log"));
    }

    /** Reads the child's "indexed FILE" lines until {@code target} were seen, the child ended, or time ran out. */
    private static void waitForIndexedLines(Process p, int target, long timeoutNanos) throws Exception {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (var lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("indexed ")) {
                        seen.incrementAndGet();
                    }
                }
            } catch (IOException ignored) {
                // the child was killed: its pipe closes
            }
        });
        long deadline = System.nanoTime() + timeoutNanos;
        while (seen.get() < target && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        reader.join(1);
    }
}
