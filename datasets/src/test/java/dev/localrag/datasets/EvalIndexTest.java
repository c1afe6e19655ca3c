package dev.localrag.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.index.SearchMode;
import dev.localrag.core.testing.HashingEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalIndexTest {

    @TempDir
    Path tmp;

    private final List<String> progress = new ArrayList<>();

    @Test
    void buildsOnceAndReusesTheIndexWhileCorpusAndSettingsAreUnchanged() {
        // given
        BeirDataset data = BeirDataset.load(TinyBeir.write(tmp.resolve("tiny")));
        Path cache = tmp.resolve("cache");
        HashingEmbedder embedder = new HashingEmbedder(32);

        // when built, then opened again
        Path first;
        try (EvalIndex built = EvalIndex.openOrBuild(data, embedder, PassageLayout.WHOLE, cache, progress::add)) {
            assertThat(built.reused()).isFalse();
            assertThat(built.passages()).isEqualTo(3);
            first = built.dir();
        }
        try (EvalIndex again = EvalIndex.openOrBuild(data, embedder, PassageLayout.WHOLE, cache, progress::add)) {
            // then
            assertThat(again.reused()).isTrue();
            assertThat(again.dir()).isEqualTo(first);
            assertThat(again.index().stats().documents()).isEqualTo(3);
        }
        assertThat(progress).anyMatch(line -> line.startsWith("Indexed 3 passages of 3 documents"));
    }

    @Test
    void anotherEmbedderLayoutOrCorpusGetsItsOwnIndex() throws Exception {
        Path dir = TinyBeir.write(tmp.resolve("tiny"));
        BeirDataset data = BeirDataset.load(dir);
        Path cache = tmp.resolve("cache");
        Path a;
        try (EvalIndex i =
                EvalIndex.openOrBuild(data, new HashingEmbedder(32), PassageLayout.WHOLE, cache, progress::add)) {
            a = i.dir();
        }
        try (EvalIndex i =
                EvalIndex.openOrBuild(data, new HashingEmbedder(16), PassageLayout.WHOLE, cache, progress::add)) {
            assertThat(i.reused()).isFalse();
            assertThat(i.dir()).isNotEqualTo(a);
        }
        try (EvalIndex i = EvalIndex.openOrBuild(
                data, new HashingEmbedder(32), PassageLayout.parse("recursive:64/8"), cache, progress::add)) {
            assertThat(i.reused()).isFalse();
            assertThat(i.index().manifest().chunking()).isEqualTo("recursive:64/8");
        }
        // when the corpus file changes
        Files.writeString(
                dir.resolve("corpus.jsonl"),
                TinyBeir.CORPUS + "{\"_id\": \"new\", \"title\": \"\", \"text\": \"more\"}\n");
        try (EvalIndex i = EvalIndex.openOrBuild(
                BeirDataset.load(dir), new HashingEmbedder(32), PassageLayout.WHOLE, cache, progress::add)) {
            assertThat(i.reused()).isFalse();
            assertThat(i.passages()).isEqualTo(4);
        }
    }

    @Test
    void anUnfinishedBuildIsStartedOverAndCachedVectorsAreNotEmbeddedAgain() throws Exception {
        BeirDataset data = BeirDataset.load(TinyBeir.write(tmp.resolve("tiny")));
        Path cache = tmp.resolve("cache");
        Path dir;
        try (EvalIndex i =
                EvalIndex.openOrBuild(data, new HashingEmbedder(32), PassageLayout.WHOLE, cache, progress::add)) {
            dir = i.dir();
        }
        // given the completion marker is gone, as after a crash
        try (var files = Files.list(dir)) {
            Files.delete(files.filter(p -> p.getFileName().toString().startsWith("eval-index-complete"))
                    .findFirst()
                    .orElseThrow());
        }
        CountingEmbedder counting = new CountingEmbedder(new HashingEmbedder(32));

        // when
        try (EvalIndex i = EvalIndex.openOrBuild(data, counting, PassageLayout.WHOLE, cache, progress::add)) {
            // then the index is rebuilt from the cached vectors, without embedding
            assertThat(i.reused()).isFalse();
            assertThat(i.embedMillis()).isZero();
            assertThat(counting.documents).isZero();
            assertThat(i.index().stats().chunks()).isEqualTo(3);
        }
    }

    @Test
    void aCachedIndexOfAnOlderIndexFormatIsRebuiltFromTheCachedVectors() throws Exception {
        // given a cached index whose manifest says it was written in index format 1
        BeirDataset data = BeirDataset.load(TinyBeir.write(tmp.resolve("tiny")));
        Path cache = tmp.resolve("cache");
        Path dir;
        try (EvalIndex i =
                EvalIndex.openOrBuild(data, new HashingEmbedder(32), PassageLayout.WHOLE, cache, progress::add)) {
            dir = i.dir();
        }
        try (var directory = org.apache.lucene.store.FSDirectory.open(dir);
                var writer = new org.apache.lucene.index.IndexWriter(
                        directory, new org.apache.lucene.index.IndexWriterConfig())) {
            java.util.Map<String, String> data0 = new java.util.HashMap<>();
            writer.getLiveCommitData().forEach(e -> data0.put(e.getKey(), e.getValue()));
            data0.put("localrag.format", "1");
            writer.setLiveCommitData(data0.entrySet());
            writer.commit();
        }
        CountingEmbedder counting = new CountingEmbedder(new HashingEmbedder(32));

        // when
        try (EvalIndex i = EvalIndex.openOrBuild(data, counting, PassageLayout.WHOLE, cache, progress::add)) {
            // then it is rebuilt in the current format without embedding again, and the user is told why
            assertThat(i.reused()).isFalse();
            assertThat(counting.documents).isZero();
            assertThat(i.index().stats().chunks()).isEqualTo(3);
        }
        assertThat(progress)
                .anyMatch(line -> line.startsWith("Rebuilding the cached index") && line.contains("index format"));
    }

    @Test
    void theEvaluatorScoresTheRightDocumentsFirst() {
        BeirDataset data = BeirDataset.load(TinyBeir.write(tmp.resolve("tiny")));
        HashingEmbedder embedder = new HashingEmbedder(64);
        try (EvalIndex i =
                EvalIndex.openOrBuild(data, embedder, PassageLayout.WHOLE, tmp.resolve("c"), progress::add)) {
            RetrievalEvaluator evaluator = new RetrievalEvaluator(i.index(), embedder, 10, 1);

            ModeResult keyword = evaluator.evaluate(EvalMode.parse("keyword"), data.queries());

            // every query shares distinctive words with its one relevant document only
            assertThat(keyword.queries()).isEqualTo(3);
            assertThat(keyword.mrr()).isEqualTo(1.0);
            assertThat(keyword.ndcg()).isEqualTo(1.0);
            assertThat(keyword.recall100()).isEqualTo(1.0);
            for (EvalMode mode : EvalMode.parseList("vector,hybrid,rrf:60,convex:0.5")) {
                ModeResult r = evaluator.evaluate(mode, data.queries());
                assertThat(r.mode()).isEqualTo(mode.name());
                assertThat(r.recall100()).as(mode.name()).isEqualTo(1.0);
            }
            assertThat(evaluator.rank(
                            EvalMode.index(SearchMode.KEYWORD), data.queries().get(0)))
                    .first()
                    .isEqualTo("port");
        }
    }

    /** Counts documents embedded. */
    private static final class CountingEmbedder implements dev.localrag.core.embed.Embedder {
        private final dev.localrag.core.embed.Embedder delegate;
        int documents;

        CountingEmbedder(dev.localrag.core.embed.Embedder delegate) {
            this.delegate = delegate;
        }

        @Override
        public dev.localrag.core.embed.EmbedderSpec spec() {
            return delegate.spec();
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            documents += texts.size();
            return delegate.embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String query) {
            return delegate.embedQuery(query);
        }
    }
}
