package dev.localrag.core.index;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterExpressionsTest {

    @Test
    void differentKeysNarrowTheSameKeyWidensAndNumbersAlsoMatchNumericMetadata() {
        assertThat(FilterExpressions.parse(List.of(), "--filter")).isNull();
        assertThat(FilterExpressions.parse(List.of("mime_type=text/markdown", "lang=en", "lang=zh"), "--filter"))
                .isEqualTo(metadataKey("mime_type")
                        .isEqualTo("text/markdown")
                        .and(metadataKey("lang")
                                .isEqualTo("en")
                                .or(metadataKey("lang").isEqualTo("zh"))));
        assertThat(FilterExpressions.parse(List.of("size=1024"), "--filter"))
                .isEqualTo(metadataKey("size")
                        .isEqualTo("1024")
                        .or(metadataKey("size").isEqualTo(1024L)));
        assertThat(FilterExpressions.parse(List.of("path=/a=b.md"), "--filter"))
                .isEqualTo(metadataKey("path").isEqualTo("/a=b.md"));
    }

    @Test
    void aMalformedExpressionNamesTheSourceAndTheKeys() {
        assertThatThrownBy(() -> FilterExpressions.parse(List.of("=x"), "--filter"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--filter \"=x\" is not KEY=VALUE")
                .hasMessageContaining("mime_type");
    }
}
