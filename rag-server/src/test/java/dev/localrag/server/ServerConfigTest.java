package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.RagConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    private static final RagConfig RAG = TestCorpus.config(Path.of("/tmp/index"), URI.create("http://127.0.0.1:9"));

    @Test
    void defaultsToLoopbackWithoutAuthAndTheFirstCollection() {
        ServerConfig config = ServerConfig.builder()
                .collection("docs", RAG)
                .collection("more", RAG)
                .build();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.defaultCollection()).isEqualTo("docs");
        assertThat(config.authRequired()).isFalse();
        assertThat(config.corsOrigins()).isEmpty();
        assertThat(config.ingestRoots()).isEmpty();
    }

    @Test
    void nonLoopbackNeedsAnApiKeyUnlessExplicitlyAllowed() {
        assertThatThrownBy(() -> ServerConfig.builder()
                        .host("0.0.0.0")
                        .collection("docs", RAG)
                        .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("0.0.0.0")
                .hasMessageContaining("LOCALRAG_API_KEYS");

        assertThat(ServerConfig.builder()
                        .host("0.0.0.0")
                        .collection("docs", RAG)
                        .apiKeys(Set.of("0123456789abcdef0123"))
                        .build()
                        .authRequired())
                .isTrue();
        assertThat(ServerConfig.builder()
                        .host("0.0.0.0")
                        .collection("docs", RAG)
                        .allowNoAuth(true)
                        .build()
                        .authRequired())
                .isFalse();
    }

    @Test
    void refusesBadValuesNamingThem() {
        assertThatThrownBy(() -> ServerConfig.builder().collection("Bad Name", RAG))
                .hasMessageContaining("Bad Name");
        assertThatThrownBy(() -> ServerConfig.builder()
                        .collection("docs", RAG)
                        .defaultCollection("other")
                        .build())
                .hasMessageContaining("other");
        assertThatThrownBy(() -> ServerConfig.builder()
                        .collection("docs", RAG)
                        .apiKeys(Set.of("short"))
                        .build())
                .hasMessageContaining("at least 16");
        assertThatThrownBy(() -> ServerConfig.builder().build()).hasMessageContaining("collections");
        assertThatThrownBy(() -> ServerConfig.builder()
                        .collection("docs", RAG)
                        .port(70000)
                        .build())
                .hasMessageContaining("port");
    }
}
