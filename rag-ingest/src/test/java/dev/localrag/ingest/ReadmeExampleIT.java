package dev.localrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java example compiles against the library and, run as a program (in a child JVM,
 * with no Ollama), ingests a folder and cites the right file.
 */
class ReadmeExampleIT {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- readme-example:start -->\\s*```java\\n(.*?)```\\s*<!-- readme-example:end -->", Pattern.DOTALL);

    @TempDir
    Path tmp;

    @Test
    void readmeExampleCompilesAndAnswersWithCitations() throws Exception {
        // given the example from the README and a small folder of documents
        Matcher m = EXAMPLE.matcher(Files.readString(README));
        assertThat(m.find()).as("README has a marked Java example").isTrue();
        String source = m.group(1);
        assertThat(source.lines().count()).as("the example is short").isLessThanOrEqualTo(20);
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("Example.java"), source);
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(
                docs.resolve("port.md"), "# Ports\n\nOllama binds 127.0.0.1 port 11434. Set OLLAMA_HOST to change it.");
        Files.writeString(docs.resolve("gpu.md"), "# GPUs\n\nNvidia GPUs with compute capability 5.0+ are supported.");

        // when it is compiled against the test classpath
        String classpath = System.getProperty("java.class.path");
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int compiled = javac.run(
                null,
                diagnostics,
                diagnostics,
                "-cp",
                classpath,
                "-d",
                classes.toString(),
                src.resolve("Example.java").toString());
        assertThat(compiled).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        // and run with Ollama unreachable and a fresh home (no user config)
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        java.toString(),
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-Duser.home=" + tmp.resolve("home"),
                        "-cp",
                        classes + File.pathSeparator + classpath,
                        "Example",
                        tmp.resolve("index").toString(),
                        docs.toString(),
                        "Which port does Ollama listen on?"))
                .redirectErrorStream(true);
        pb.environment().put("OLLAMA_HOST", "127.0.0.1:9");
        pb.environment().remove("LOCALRAG_CONFIG");
        pb.environment().remove("LOCALRAG_INDEX");
        pb.environment().remove("XDG_CONFIG_HOME");
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        // then it answers from the documents and cites the port file first
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Retrieved passages").contains("port 11434");
        assertThat(output).containsPattern("(?m)^\\[1] .*port\\.md$");
    }
}
