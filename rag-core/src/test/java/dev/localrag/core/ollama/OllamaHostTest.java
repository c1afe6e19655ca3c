package dev.localrag.core.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OllamaHostTest {

    @ParameterizedTest(name = "OLLAMA_HOST=''{0}'' -> {1}")
    @CsvSource({
        "'', http://127.0.0.1:11434",
        "0.0.0.0, http://0.0.0.0:11434",
        "example.com, http://example.com:11434",
        "example.com:8080, http://example.com:8080",
        ":9999, http://127.0.0.1:9999",
        "http://example.com, http://example.com:80",
        "https://example.com, https://example.com:443",
        "https://example.com:4443/ollama/, https://example.com:4443/ollama",
        "[::1]:11435, http://[::1]:11435",
        "::1, http://[::1]:11434",
        "example.com:notaport, http://example.com:11434",
    })
    void parsesLikeOllamasOwnClient(String value, String expected) {
        // given an OLLAMA_HOST value, when parsed, then it is the base URL Ollama's CLI would use
        assertThat(OllamaHost.parse(value)).hasToString(expected);
    }

    @ParameterizedTest
    @CsvSource({"ftp://example.com"})
    void rejectsOtherSchemesNamingTheValue(String value) {
        assertThatThrownBy(() -> OllamaHost.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftp://example.com");
    }
}
