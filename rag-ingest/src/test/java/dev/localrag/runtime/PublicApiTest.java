package dev.localrag.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.localrag.core.Checks;
import dev.localrag.core.Internal;
import dev.localrag.ingest.LocalRag;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of rag-core and rag-ingest is what is public and not {@link Internal}: this test
 * lists it and fails when it changes, so growing (or shrinking) the API is a decision, written down
 * in {@code public-api.txt}, never an accident. A new public type is either API (add it to the
 * file) or internal (package-private, or marked {@code @Internal}).
 */
class PublicApiTest {

    @Test
    void thePublicSurfaceIsTheOneWrittenDown() throws Exception {
        TreeSet<String> surface = new TreeSet<>();
        for (Class<?> anchor : List.of(Checks.class, LocalRag.class)) {
            for (String name : classNames(anchor)) {
                Class<?> type = Class.forName(name, false, anchor.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())
                        && !type.isAnnotationPresent(Internal.class)
                        && !type.getPackage().isAnnotationPresent(Internal.class)) {
                    surface.add(type.getName());
                }
            }
        }
        List<String> written;
        try (InputStream in = PublicApiTest.class.getResourceAsStream("/public-api.txt")) {
            written = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        }

        assertThat(surface)
                .as("public, non-@Internal top-level types of rag-core and rag-ingest (rag-ingest/src/test/resources/"
                        + "public-api.txt): add a new API type there, or make it package-private or @Internal")
                .containsExactlyElementsOf(new TreeSet<>(written));
    }

    /** The top-level classes in the jar or folder that holds {@code anchor}. */
    private static List<String> classNames(Class<?> anchor) throws IOException, URISyntaxException {
        Path location = Path.of(
                anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> entries = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.map(p -> location.relativize(p).toString().replace('\\', '/'))
                        .forEach(entries::add);
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream().map(e -> e.getName()).forEach(entries::add);
            }
        }
        return entries.stream()
                .filter(e -> e.endsWith(".class") && !e.contains("$") && !e.endsWith("package-info.class"))
                .filter(e -> !e.endsWith("module-info.class"))
                .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
                .toList();
    }
}
