package dev.localrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.config.AuditSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path tmp;

    private static AuditLog.Entry entry(int i) {
        return new AuditLog.Entry(
                "os:test", "local", "rag ingest", null, "/idx", List.of("/docs/" + i), "succeeded", Map.of("files", i));
    }

    @Test
    void eachEntryIsOneJsonLineWithEveryField() throws Exception {
        Path file = tmp.resolve("logs/audit.jsonl");
        AuditLog log = new AuditLog(file, AuditSettings.DEFAULT);

        log.checkWritable();
        assertThat(file).doesNotExist(); // checking writes nothing
        log.append(entry(1));

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.fieldNames())
                .toIterable()
                .containsExactly(
                        "time", "actor", "client", "action", "collection", "index", "paths", "outcome", "counts");
        assertThat(line.path("counts").path("files").asInt()).isEqualTo(1);
    }

    @Test
    void theLogRotatesBySizeKeepingTheConfiguredNumberOfFiles() throws Exception {
        Path file = tmp.resolve("a.jsonl");
        AuditLog log = new AuditLog(file, new AuditSettings(file, 4096, 2));

        for (int i = 0; i < 100; i++) {
            log.append(entry(i));
        }

        assertThat(Files.size(file)).isLessThanOrEqualTo(4096);
        assertThat(tmp.resolve("a.jsonl.1")).exists();
        assertThat(tmp.resolve("a.jsonl.2")).exists();
        assertThat(tmp.resolve("a.jsonl.3")).doesNotExist();
        assertThat(Files.readAllLines(file).getLast()).contains("/docs/99");
    }

    @Test
    void aLogThatCannotBeWrittenIsReportedBeforeTheChange() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("audit.jsonl"));
        AuditLog log = new AuditLog(folder, AuditSettings.DEFAULT);

        assertThatThrownBy(log::checkWritable)
                .isInstanceOf(AuditLog.UnavailableException.class)
                .hasMessageContaining(folder.toString())
                .hasMessageContaining("refused");
    }

    @Test
    void anApiKeyIsNamedByAFingerprintNotItself() {
        String fingerprint = AuditLog.keyFingerprint("secret-key-123");

        assertThat(fingerprint).matches("key:[0-9a-f]{12}").doesNotContain("secret");
        assertThat(AuditLog.keyFingerprint("secret-key-123")).isEqualTo(fingerprint);
    }
}
