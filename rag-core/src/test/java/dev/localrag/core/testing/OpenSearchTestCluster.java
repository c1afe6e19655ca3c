package dev.localrag.core.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real 3-node OpenSearch cluster (k-NN plugin) for tests, shared by every test of one JVM: started
 * on first use in a child JVM with the {@code opensearch-testcluster} module's own classpath
 * (OpenSearch needs its own Lucene, which must never meet the project's), on free 127.0.0.1 ports,
 * and stopped by its PID when the JVM exits. When it cannot start (the module is not built, or the
 * cluster fails), tests that ask for it are skipped with the reason, never failed.
 *
 * <pre>{@code
 * OpenSearchTestCluster cluster = OpenSearchTestCluster.shared(); // skips the test if unavailable
 * String url = cluster.url(cluster.newIndexName("docs"));         // opensearch://127.0.0.1:9201,.../docs-1
 * }</pre>
 */
public final class OpenSearchTestCluster {

    /** Nodes in the test cluster: enough to lose one and keep every shard. */
    public static final int NODES = 3;

    private static final String MAIN = "dev.localrag.testcluster.ClusterMain";
    private static final long START_TIMEOUT_SECONDS = 240;
    private static final AtomicInteger INDEXES = new AtomicInteger();

    private static OpenSearchTestCluster shared;
    private static String unavailable;

    private final Process process;
    private final List<Integer> httpPorts;
    private final Writer commands;
    private final BlockingQueue<String> answers;
    private final Path log;

    private OpenSearchTestCluster(
            Process process, List<Integer> httpPorts, Writer commands, BlockingQueue<String> answers, Path log) {
        this.process = process;
        this.httpPorts = httpPorts;
        this.commands = commands;
        this.answers = answers;
        this.log = log;
    }

    /**
     * The cluster of this test JVM, started on first call.
     *
     * @throws org.opentest4j.TestAbortedException (the test is skipped) when it cannot start
     */
    public static synchronized OpenSearchTestCluster shared() {
        if (shared == null && unavailable == null) {
            try {
                shared = start();
            } catch (Exception e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(shared != null, () -> "OpenSearch test cluster unavailable: " + unavailable);
        return shared;
    }

    private static OpenSearchTestCluster start() throws IOException, InterruptedException {
        Path module = findModule();
        Path target = module.resolve("target");
        List<String> classpath = new ArrayList<>();
        classpath.add(Files.readString(target.resolve("cluster.classpath")).strip());
        classpath.add(target.resolve("classes").toString());
        try (Stream<Path> jars = Files.list(target.resolve("knn"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> classpath.add(p.toString()));
        }
        Path base = Files.createTempDirectory("localrag-opensearch-");
        Path log = target.resolve("cluster-" + ProcessHandle.current().pid() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-Xms512m",
                        "-Xmx1g",
                        "-XX:+UseSerialGC",
                        "-cp",
                        String.join(File.pathSeparator, classpath),
                        MAIN,
                        base.toString(),
                        Integer.toString(NODES))
                .redirectError(log.toFile());
        Process process = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, base), "opensearch-test-cluster-stop"));
        BlockingQueue<String> answers = new ArrayBlockingQueue<>(64);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            answers.put(line);
                        }
                    } catch (IOException | InterruptedException e) {
                        // the cluster went away; waiting callers time out with the log's name
                    }
                },
                "opensearch-test-cluster-out");
        reader.setDaemon(true);
        reader.start();
        String first = answers.poll(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("READY http=")) {
            stop(process, base);
            throw new IOException((first == null
                            ? "no answer within " + START_TIMEOUT_SECONDS + " s"
                            : first.startsWith("FAILED") ? first.substring(7) : "unexpected: " + first)
                    + " (cluster log: " + log + ")");
        }
        List<Integer> ports = Arrays.stream(
                        first.substring("READY http=".length()).split(","))
                .map(Integer::valueOf)
                .toList();
        Writer commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        return new OpenSearchTestCluster(process, ports, commands, answers, log);
    }

    private static Path findModule() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path module = dir.resolve("opensearch-testcluster");
            if (Files.isRegularFile(module.resolve("target/cluster.classpath"))
                    && Files.isDirectory(module.resolve("target/classes"))) {
                return module;
            }
            if (Files.isRegularFile(module.resolve("pom.xml"))) {
                throw new IOException("module " + module + " is not built: run ./mvnw -pl opensearch-testcluster"
                        + " compile (the reactor does it when a module's tests depend on it)");
            }
        }
        throw new IOException(
                "no opensearch-testcluster module above " + Path.of("").toAbsolutePath());
    }

    private static void stop(Process process, Path base) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(base);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder: the OS cleans it up eventually
        }
    }

    /** HTTP ports of the nodes, in node order. */
    public List<Integer> httpPorts() {
        return httpPorts;
    }

    /** The URL of index {@code name} with every node listed. */
    public String url(String name) {
        return "opensearch://" + httpPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")) + "/"
                + name;
    }

    /** A fresh index name, unique in this JVM and cluster: {@code prefix-N}. */
    public static String newIndexName(String prefix) {
        return prefix.toLowerCase(Locale.ROOT) + "-" + INDEXES.incrementAndGet();
    }

    /** Deletes index {@code name} if present (a test's index when it is done with it). */
    public void deleteIndex(String name) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            int status = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.getFirst() + "/" + name))
                                    .DELETE()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 200 && status != 404) {
                throw new IllegalStateException("deleting index " + name + " answered HTTP " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete index " + name + " (log: " + log + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Closes node {@code i} (from 0): its shards' replicas on the other nodes take over. */
    public void stopNode(int i) {
        command("stop " + i, "STOPPED " + i);
    }

    /** Starts node {@code i} again after {@link #stopNode}. */
    public void startNode(int i) {
        command("start " + i, "STARTED " + i);
    }

    private synchronized void command(String command, String expected) {
        try {
            commands.write(command + "\n");
            commands.flush();
            String answer = answers.poll(120, TimeUnit.SECONDS);
            if (!expected.equals(answer)) {
                throw new IllegalStateException(
                        "cluster answered " + answer + " to \"" + command + "\" (log: " + log + ")");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cluster process is gone (log: " + log + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the cluster process still runs. */
    public boolean alive() {
        return process.isAlive();
    }
}
