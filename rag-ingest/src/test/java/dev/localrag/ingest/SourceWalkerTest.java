package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceWalkerTest {

    @TempDir
    Path tmp;

    private List<String> names(SourceWalker.Selection s, Path root) {
        return s.files().stream().map(f -> root.relativize(f).toString()).toList();
    }

    @Test
    void ragignoreHiddenAndGlobsSelectFiles() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        write(root, "a.md", "b.txt", "build/out.md", "docs/keep.md", "docs/drafts/wip.md", "docs/notes.log");
        write(root, ".hidden.md", ".git/config");
        Files.writeString(root.resolve(".ragignore"), "build/\n*.log\n");
        Files.writeString(root.resolve("docs/.ragignore"), "drafts/\n!notes.log\n");

        SourceWalker.Selection all = new SourceWalker().select(List.of(root));
        assertThat(names(all, root)).containsExactly("a.md", "b.txt", "docs/keep.md", "docs/notes.log");

        SourceWalker.Selection onlyMd = new SourceWalker(
                        new SourceWalker.Rules(List.of("*.md"), List.of("docs/**"), false, 1_000_000))
                .select(List.of(root));
        assertThat(names(onlyMd, root)).containsExactly("a.md");

        SourceWalker.Selection withHidden =
                new SourceWalker(new SourceWalker.Rules(List.of(), List.of(), true, 1_000_000)).select(List.of(root));
        assertThat(names(withHidden, root)).contains(".hidden.md", ".git/config");
    }

    @Test
    void largeFilesAndLinksOutsideTheRootAreReportedNotFollowed() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.writeString(tmp.resolve("secret.txt"), "outside the root");
        Files.writeString(root.resolve("small.txt"), "small");
        Files.write(root.resolve("big.txt"), new byte[5_000]);
        Files.createSymbolicLink(root.resolve("escape.txt"), outside);
        Files.createSymbolicLink(root.resolve("escape-dir"), tmp);
        Files.createSymbolicLink(root.resolve("inner-link.txt"), root.resolve("small.txt"));

        SourceWalker.Selection s =
                new SourceWalker(new SourceWalker.Rules(List.of(), List.of(), false, 1_000)).select(List.of(root));

        assertThat(names(s, root)).containsExactly("small.txt");
        assertThat(s.skipped())
                .extracting(k -> k.file().getFileName().toString() + ": " + k.reason())
                .anySatisfy(r -> assertThat(r).startsWith("big.txt: too large (5000 bytes"))
                .anySatisfy(r ->
                        assertThat(r).startsWith("escape.txt: symbolic link").contains("not followed"))
                .anySatisfy(r -> assertThat(r).startsWith("escape-dir: symbolic link"))
                .noneSatisfy(r -> assertThat(r).startsWith("inner-link.txt"));
    }

    @Test
    void oddNamesAreWalked() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        write(root, "with space.txt", "中文 文件.txt", "émoji 🦙.md", "-dash.txt", "x".repeat(200) + ".txt");

        assertThat(new SourceWalker().select(List.of(root)).files()).hasSize(5);
    }

    @Test
    void aBadGlobIsAConfigurationErrorNamingIt() {
        assertThatThrownBy(() -> new SourceWalker(new SourceWalker.Rules(List.of("[a-"), List.of(), false, 10)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--include '[a-'");
    }

    private static void write(Path root, String... names) throws IOException {
        for (String name : names) {
            Path f = root.resolve(name);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "content of " + name);
        }
    }

    @Test
    void aFolderHoldingAnIndexIsNotReadAsDocuments() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(root.resolve("a.md"), "# A");
        Path index = Files.createDirectories(root.resolve("idx"));
        Files.writeString(index.resolve("write.lock"), "");
        Files.writeString(index.resolve("_0.cfs"), "lucene bytes");
        Files.writeString(root.resolve("idx-audit.jsonl"), "{}\n"); // its audit log, beside it
        Files.writeString(root.resolve("idx-audit.jsonl.1"), "{}\n");

        SourceWalker.Selection selection = new SourceWalker().select(List.of(root));

        assertThat(selection.files()).containsExactly(root.resolve("a.md").toRealPath());
        assertThat(selection.skipped()).isEmpty();
    }

    @Test
    void anAccessProblemIsCalledPermissionDenied() {
        assertThat(SourceWalker.readProblem(new java.nio.file.AccessDeniedException("/x/secret.md")))
                .isEqualTo("permission denied");
        assertThat(SourceWalker.readProblem(
                        new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/x/secret.md"))))
                .isEqualTo("permission denied");
        assertThat(SourceWalker.readProblem(new IOException("disk on fire"))).isEqualTo("cannot read: disk on fire");
    }
}
