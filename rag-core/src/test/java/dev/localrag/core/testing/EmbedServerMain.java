package dev.localrag.core.testing;

import java.io.IOException;

/**
 * The Ollama test server with real in-process ONNX embeddings ({@code onnx:bge-small-en-v1.5}) as
 * a process of its own, for benchmarks that need embedding servers on separate JVMs. Prints {@code
 * PORT <n>} once listening, serves model {@code args[0]} (default {@code bge-small}) and stops when
 * its standard input closes (so it never outlives the benchmark that started it).
 */
public final class EmbedServerMain {

    private EmbedServerMain() {}

    public static void main(String[] args) throws IOException {
        String model = args.length > 0 ? args[0] : "bge-small";
        try (OllamaTestServer server =
                OllamaTestServer.builder().models(model).onnxEmbeddings().build()) {
            System.out.println("PORT " + server.baseUrl().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
