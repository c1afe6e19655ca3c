package dev.localrag.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.embed.EmbedderSpec;
import dev.localrag.core.index.IndexManifest;
import dev.localrag.core.index.IndexMismatchException;
import dev.localrag.core.index.TextAnalysis;
import dev.localrag.core.index.VectorFormat;
import dev.localrag.core.index.VectorFormat.Encoding;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IndexSettingsTest {

    private static final IndexSettings.Keys FLAGS =
            new IndexSettings.Keys("--vector-format", "--hnsw-m", "--hnsw-beam", "--oversample", "--text-analysis");

    /** An index built as int8, m=32, beam=100, oversample=1, cjk. */
    private static final IndexManifest INT8_CJK = IndexManifest.of(EmbedderSpec.DEFAULT_ONNX, 384, "recursive:400/50")
            .withVectorFormat(VectorFormat.parse("int8 m=32"))
            .withTextAnalysis(TextAnalysis.CJK);

    @Test
    void flagsOverrideTheFilePartByPart() {
        // given a config file asking for int4 with oversample 3, m=32 and english analysis
        IndexSettings file = new IndexSettings(Encoding.INT4, 32, null, 3, TextAnalysis.ENGLISH);

        // when flags ask for another encoding and cjk, and flags asking for nothing are applied
        IndexSettings merged = file.overriddenBy(IndexSettings.parse(FLAGS, "bbq", null, 200, null, "cjk"));
        IndexSettings unchanged = file.overriddenBy(IndexSettings.DEFAULT);

        // then each flag wins, the rest of the file stays, and the file's oversampling (meant for
        // int4) gives way to bbq's default
        assertThat(merged).isEqualTo(new IndexSettings(Encoding.BBQ, 32, 200, null, TextAnalysis.CJK));
        assertThat(merged.newVectorFormat()).isEqualTo(new VectorFormat(Encoding.BBQ, 32, 200, 5));
        assertThat(unchanged).isEqualTo(file);
        // the same encoding keeps the file's oversampling
        assertThat(file.overriddenBy(IndexSettings.parse(FLAGS, "int4", null, null, null, null))
                        .oversample())
                .isEqualTo(3);
    }

    @Test
    void badFlagValuesNameTheFlagTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> IndexSettings.parse(FLAGS, "int3", null, null, null, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("--vector-format must be one of float32, int8, int4, bbq, but was \"int3\"");
        assertThatThrownBy(() -> IndexSettings.parse(FLAGS, null, null, null, null, "german"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("--text-analysis must be one of english, cjk, auto, but was \"german\"");
        assertThatThrownBy(() -> IndexSettings.parse(FLAGS, null, 600, null, null, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("--hnsw-m must be between 2 and 512, but was 600");
        assertThatThrownBy(() -> IndexSettings.parse(FLAGS, "float32", null, null, 2, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--oversample must be 1 for --vector-format float32");
    }

    @Test
    void oversamplingWithoutAQuantizedEncodingCannotBuildANewIndex() {
        IndexSettings onlyOversample = IndexSettings.parse(FLAGS, null, null, null, 3, null);

        assertThatThrownBy(onlyOversample::newVectorFormat)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("oversampling of 3")
                .hasMessageContaining("int8, int4 or bbq");
    }

    @Test
    void onlyWhatWasAskedForIsComparedWithAnExistingIndex() {
        // when the settings match the parts they name, or name nothing
        IndexSettings same = IndexSettings.parse(FLAGS, "int8", 32, null, null, "cjk");

        // then there is no conflict, whatever the index's other parameters
        assertThat(same.conflicts(INT8_CJK)).isEmpty();
        assertThat(IndexSettings.DEFAULT.conflicts(INT8_CJK)).isEmpty();

        // and every differing part is named with the index's value
        IndexSettings other = IndexSettings.parse(FLAGS, "bbq", 16, 100, null, "english");
        assertThat(other.conflicts(INT8_CJK))
                .containsExactly(
                        "vector format bbq (the index has int8)",
                        "maxConn 16 (the index has 32)",
                        "text analysis english (the index has cjk)");
    }

    @Test
    void aConflictNamesTheIndexBothSettingsAndHowToRebuild() {
        Path dir = Path.of("/data/zh-index");

        assertThatThrownBy(() ->
                        new IndexSettings(null, null, null, null, TextAnalysis.ENGLISH).checkExisting(dir, INT8_CJK))
                .isInstanceOf(IndexMismatchException.class)
                .hasMessageContaining("Index /data/zh-index was built with vector format hnsw-int8 m=32 beam=100"
                        + " oversample=1 and text analysis cjk")
                .hasMessageContaining("asked for: text analysis english (the index has cjk)")
                .hasMessageContaining("delete /data/zh-index and ingest again, or ingest into another --index");
    }
}
