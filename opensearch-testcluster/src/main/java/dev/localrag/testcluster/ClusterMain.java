package dev.localrag.testcluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A real OpenSearch cluster (k-NN plugin loaded) for tests, run as a child process with this
 * module's classpath: {@code java -cp $(cat target/cluster.classpath):target/classes
 * dev.localrag.testcluster.ClusterMain BASE_DIR NODES}.
 *
 * <p>Protocol on stdout: one line {@code READY http=PORT,PORT,...} (node order) once the cluster is
 * green, or {@code FAILED message} when it cannot start. On stdin: {@code stop I} closes node I
 * (from 0) and answers {@code STOPPED I}; {@code start I} starts it again and answers {@code STARTED
 * I}. End of stdin (the test JVM went away) stops the whole cluster and the process.
 *
 * <p>Every port is a free one on 127.0.0.1: HTTP below 9299 (the runner refuses higher ones),
 * transport anywhere; discovery seeds are exactly these nodes, so concurrent clusters never join
 * each other.
 */
public final class ClusterMain {

    private static final int HTTP_LOW = 9200;
    private static final int HTTP_HIGH = 9298;

    private ClusterMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream protocol = System.out;
        System.setOut(System.err); // the runner and OpenSearch print to stdout: keep it for the protocol
        if (args.length != 2) {
            protocol.println("FAILED usage: ClusterMain BASE_DIR NODES");
            System.exit(2);
        }
        String baseDir = args[0];
        int nodes = Integer.parseInt(args[1]);
        List<Integer> http = freePorts(nodes, true);
        List<Integer> transport = freePorts(nodes, false);
        String seeds = transport.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        OpenSearchRunner runner = new OpenSearchRunner();
        try {
            runner.onBuild((id, settings) -> {
                int i = id - 1;
                settings.put("network.host", "127.0.0.1");
                settings.put("http.port", Integer.toString(http.get(i)));
                settings.put("transport.port", Integer.toString(transport.get(i)));
                settings.putList("discovery.seed_hosts", seeds.split(","));
                // test machines are often short of disk: never refuse to allocate shards for that
                settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
                settings.put("action.auto_create_index", false);
            });
            runner.build(OpenSearchRunner.newConfigs()
                    .basePath(baseDir)
                    .numOfNode(nodes)
                    .clusterName("localrag-test-" + ProcessHandle.current().pid())
                    .disableESLogger()
                    .pluginTypes("org.opensearch.knn.plugin.KNNPlugin"));
            runner.ensureGreen();
        } catch (Throwable e) {
            protocol.println("FAILED " + oneLine(e));
            protocol.flush();
            e.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
        protocol.println("READY http=" + http.stream().map(String::valueOf).collect(Collectors.joining(",")));
        protocol.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] command = line.strip().split("\\s+");
            try {
                int node = Integer.parseInt(command[1]);
                switch (command[0]) {
                    case "stop" -> {
                        runner.getNode(node).close();
                        protocol.println("STOPPED " + node);
                    }
                    case "start" -> {
                        if (!runner.startNode(node)) {
                            throw new IllegalStateException("node " + node + " did not start");
                        }
                        protocol.println("STARTED " + node);
                    }
                    default -> protocol.println("ERROR unknown command " + line);
                }
            } catch (Exception e) {
                protocol.println("ERROR " + oneLine(e));
            }
            protocol.flush();
        }
        // the test JVM is gone: nothing may outlive it
        Runtime.getRuntime().halt(0);
    }

    private static String oneLine(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(out.isEmpty() ? "" : " <- ").append(t);
        }
        return out.toString().replace('\n', ' ');
    }

    /** {@code n} ports free on 127.0.0.1 now: in [9200, 9298] when {@code low}, else any. */
    private static List<Integer> freePorts(int n, boolean low) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<Integer> out = new ArrayList<>();
        if (!low) {
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    ServerSocket s = new ServerSocket(0, 1, loopback);
                    held.add(s);
                    out.add(s.getLocalPort());
                }
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
            return out;
        }
        int span = HTTP_HIGH - HTTP_LOW + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span && out.size() < n; i++) {
            int port = HTTP_LOW + (start + i) % span;
            try (ServerSocket s = new ServerSocket(port, 1, loopback)) {
                out.add(port);
            } catch (IOException taken) {
                // try the next one
            }
        }
        if (out.size() < n) {
            throw new IOException("fewer than " + n + " free ports between " + HTTP_LOW + " and " + HTTP_HIGH);
        }
        return out;
    }
}
