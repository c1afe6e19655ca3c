package dev.localrag.core.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model loaded from its cached optimized graph gives the vectors of a model optimized on load. */
class OptimizedModelCacheTest {

    private static final EmbedderSpec SPEC = new EmbedderSpec(EmbedderSpec.Provider.ONNX, "bge-small-en-v1.5");
    private static final List<String> TEXTS =
            List.of("Ollama listens on port 11434 by default.", "向量索引把文本变成向量。", "Short.");

    @Test
    void theFirstLoadWritesTheOptimizedGraphAndLaterLoadsGiveTheSameVectorsFromIt(@TempDir Path cache)
            throws IOException {
        // given the vectors of a load without a cache
        List<float[]> uncached = embed();

        // when a load with a cache folder, then another, embed the same texts
        List<float[]> first;
        List<float[]> second;
        List<Path> written;
        String before = System.getProperty(OptimizedModelCache.PROPERTY);
        System.setProperty(OptimizedModelCache.PROPERTY, cache.toString());
        try {
            first = embed();
            written = files(cache);
            second = embed();
        } finally {
            if (before == null) {
                System.clearProperty(OptimizedModelCache.PROPERTY);
            } else {
                System.setProperty(OptimizedModelCache.PROPERTY, before);
            }
        }

        // then the first wrote one optimized model (no temporary file left) and both match exactly
        assertThat(written).hasSize(1);
        assertThat(written.get(0).getFileName().toString()).startsWith("onnx-").endsWith(".onnx");
        assertThat(files(cache)).isEqualTo(written);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(first.get(i)).as("text %d, first load", i).containsExactly(uncached.get(i));
            assertThat(second.get(i)).as("text %d, from the cache", i).containsExactly(uncached.get(i));
        }
    }

    @Test
    void theNameChangesWithTheModelAndTheRuntimeVersion() {
        String key = OptimizedModelCache.key("jar:file:/m.jar!/model.onnx crc 1", "1.20.0");

        assertThat(OptimizedModelCache.key("jar:file:/m.jar!/model.onnx crc 1", "1.20.0"))
                .isEqualTo(key);
        assertThat(OptimizedModelCache.key("jar:file:/m.jar!/model.onnx crc 2", "1.20.0"))
                .isNotEqualTo(key);
        assertThat(OptimizedModelCache.key("jar:file:/m.jar!/model.onnx crc 1", "1.21.0"))
                .isNotEqualTo(key);
    }

    private static List<float[]> embed() {
        try (OnnxEmbedder embedder = OnnxEmbedder.create(SPEC)) {
            List<float[]> vectors = embedder.embedDocuments(TEXTS);
            vectors = new java.util.ArrayList<>(vectors);
            vectors.add(embedder.embedQuery("which port"));
            return vectors;
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
