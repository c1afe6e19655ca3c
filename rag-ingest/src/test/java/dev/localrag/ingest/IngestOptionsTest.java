package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestOptionsTest {

    private static final IngestOptions CUSTOM = IngestOptions.builder()
            .prune(false)
            .dryRun(true)
            .failFast(true)
            .parseThreads(3)
            .batchesInFlight(5)
            .commitEveryDocuments(7)
            .commitInterval(Duration.ofSeconds(11))
            .embeddingJournal(Path.of("journal.vectors"))
            .build();

    @Test
    void toBuilderStartsFromEverySetting() {
        assertThat(CUSTOM.toBuilder().build()).isEqualTo(CUSTOM);
        assertThat(IngestOptions.DEFAULT.toBuilder().build()).isEqualTo(IngestOptions.DEFAULT);
    }

    @Test
    void withersChangeOnlyTheirSetting() {
        IngestOptions journal = CUSTOM.withEmbeddingJournal(null);
        IngestOptions threads = CUSTOM.withParseThreads(9);

        assertThat(journal.embeddingJournal()).isNull();
        assertThat(journal)
                .usingRecursiveComparison()
                .ignoringFields("embeddingJournal")
                .isEqualTo(CUSTOM);
        assertThat(threads.parseThreads()).isEqualTo(9);
        assertThat(threads)
                .usingRecursiveComparison()
                .ignoringFields("parseThreads")
                .isEqualTo(CUSTOM);
    }

    @Test
    void aCopyIsValidatedLikeABuild() {
        assertThatThrownBy(() -> CUSTOM.withParseThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parseThreads");
    }
}
