package dev.localrag.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.localrag.core.embed.Embedder;
import dev.localrag.core.testing.HashingEmbedder;
import dev.localrag.core.testing.NoiseEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HybridCalibrationTest {

    private static final int DIMENSION = 256;

    @TempDir
    Path tmp;

    @Test
    void anEmbedderThatReadsTheTextKeepsTheDefaultWeight() {
        // given documents embedded by a bag-of-words embedder, which finds a passage from its own words
        HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
        try (LuceneVectorIndex index = indexOf(embedder, 40)) {
            // when the index is calibrated
            HybridCalibration.Result r = HybridCalibration.calibrate(index, embedder);

            // then both sides find the pseudo-queries' passages and the vector side keeps 0.6
            assertThat(r.samples()).isEqualTo(40);
            assertThat(r.keywordMrr()).isGreaterThan(0.95);
            assertThat(r.vectorMrr()).isGreaterThan(0.9);
            assertThat(r.vectorWeight()).isCloseTo(0.6, within(0.05));
            assertThat(index.manifest().hybridVectorWeight()).isEqualTo(r.vectorWeight());
        }
        // and the weight is kept with the index
        assertThat(LuceneVectorIndex.readManifest(tmp.resolve("index")).defaultVectorWeight())
                .isCloseTo(0.6, within(0.05));
    }

    @Test
    void anEmbedderThatCannotReadTheTextIsLeftOutOfTheFusion() {
        // given an embedder whose vectors have nothing to do with the words (one random vector per text)
        Embedder noise = new NoiseEmbedder(new HashingEmbedder(DIMENSION).spec(), DIMENSION);
        try (LuceneVectorIndex index = indexOf(noise, 40)) {
            HybridCalibration.Result r = HybridCalibration.calibrate(index, noise);

            assertThat(r.vectorMrr()).isLessThan(0.3);
            assertThat(r.vectorWeight()).isZero();
            // a search that sets no weight uses the index's
            assertThat(SearchRequest.builder()
                            .text("x")
                            .vector(new float[DIMENSION])
                            .build()
                            .hybridFusion(index.manifest().defaultVectorWeight()))
                    .isEqualTo(HybridFusion.zScore(0));
        }
    }

    @Test
    void tooFewLongPassagesLeaveTheIndexUncalibrated() {
        HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
        try (LuceneVectorIndex index = indexOf(embedder, 5)) {
            HybridCalibration.Result r = HybridCalibration.calibrate(index, embedder);

            assertThat(r.vectorWeight()).isNaN();
            assertThat(index.manifest().defaultVectorWeight()).isEqualTo(HybridFusion.DEFAULT.vectorWeight());
        }
    }

    /** {@code documents} documents of one 80-word chunk each, words drawn from 400 made-up ones. */
    private LuceneVectorIndex indexOf(Embedder embedder, int documents) {
        LuceneVectorIndex index =
                LuceneVectorIndex.open(tmp.resolve("index"), IndexManifest.of(embedder.spec(), DIMENSION, ""));
        Random random = new Random(42);
        for (int d = 0; d < documents; d++) {
            List<String> words = new ArrayList<>();
            for (int w = 0; w < 80; w++) {
                words.add("w" + random.nextInt(400));
            }
            String text = String.join(" ", words);
            index.replaceDocument(
                    new SourceDocument("/docs/d" + d + ".txt", "d" + d, "text/plain", "", 0, 0),
                    List.of(new ChunkRecord(0, text, embedder.embedQuery(text))));
        }
        index.commit();
        return index;
    }
}
