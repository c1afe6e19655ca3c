package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.LocalRagException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingJournalTest {

    @TempDir
    Path tmp;

    private static String key(String text) {
        return Sha256.of(text);
    }

    @Test
    void vectorsAppendedInBatchesAreReadBackByTheNextRun() {
        // given a journal that got two batches
        Path file = tmp.resolve("idx-ingest.vectors");
        try (EmbeddingJournal journal = EmbeddingJournal.open(file)) {
            assertThat(journal.entries()).isEmpty();
            journal.append(List.of(key("a"), key("b")), List.of(new float[] {1, 2}, new float[] {3, 4}));
            journal.append(List.of(key("c")), List.of(new float[] {5, 6}));
        }

        // when it is opened again
        try (EmbeddingJournal again = EmbeddingJournal.open(file)) {
            // then all three vectors are there
            assertThat(again.entries()).containsOnlyKeys(key("a"), key("b"), key("c"));
            assertThat(again.entries().get(key("c"))).containsExactly(5, 6);
        }
    }

    @Test
    void aRecordCutShortByAKillIsDroppedAndTheNextAppendFollowsTheLastWholeOne() throws Exception {
        // given a journal whose last record lost its last bytes
        Path file = tmp.resolve("idx-ingest.vectors");
        try (EmbeddingJournal journal = EmbeddingJournal.open(file)) {
            journal.append(List.of(key("a"), key("b")), List.of(new float[] {1, 2}, new float[] {3, 4}));
        }
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(raw.length() - 3);
        }

        // when it is read and appended to
        try (EmbeddingJournal journal = EmbeddingJournal.open(file)) {
            assertThat(journal.entries()).containsOnlyKeys(key("a"));
            journal.append(List.of(key("c")), List.of(new float[] {7, 8}));
        }

        // then the whole records are all there
        try (EmbeddingJournal journal = EmbeddingJournal.open(file)) {
            assertThat(journal.entries()).containsOnlyKeys(key("a"), key("c"));
            assertThat(journal.entries().get(key("c"))).containsExactly(7, 8);
        }
    }

    @Test
    void clearDeletesTheFileAndAForeignFileIsRefusedByName() throws Exception {
        Path file = tmp.resolve("idx-ingest.vectors");
        EmbeddingJournal journal = EmbeddingJournal.open(file);
        journal.append(List.of(key("a")), List.of(new float[] {1}));
        journal.clear();
        assertThat(file).doesNotExist();

        Files.writeString(file, "not a journal");
        assertThatThrownBy(() -> EmbeddingJournal.open(file))
                .isInstanceOf(LocalRagException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("Delete it");
    }
}
