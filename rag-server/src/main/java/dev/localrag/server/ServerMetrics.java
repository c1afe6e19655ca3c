package dev.localrag.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/** The server's Prometheus metrics (Micrometer), scraped at {@code GET /metrics}. */
final class ServerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    void request(String method, String route, int status, long nanos) {
        Timer.builder("localrag.http.requests")
                .description("HTTP requests by route, method and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    void retrieval(String collection, String mode, long nanos) {
        Timer.builder("localrag.retrieval")
                .description("Retrieval time (embedding the query and searching the index)")
                .tags("collection", collection, "mode", mode)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    void timeToFirstToken(String model, long nanos) {
        Timer.builder("localrag.generation.first.token")
                .description("Time from the request to the chat model's first token")
                .tags("model", model)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    void tokensPerSecond(String model, double rate) {
        DistributionSummary.builder("localrag.generation.tokens.per.second")
                .description("Streaming speed of the chat model, tokens per second")
                .tags("model", model)
                .register(registry)
                .record(rate);
    }

    void generationEnded(String outcome) {
        Counter.builder("localrag.generations")
                .description("Generations by outcome: completed, cancelled, failed, extractive")
                .tags("outcome", outcome)
                .register(registry)
                .increment();
    }

    void rejected() {
        Counter.builder("localrag.chat.queue.rejected")
                .description("Requests refused with 429 because the chat queue was full")
                .register(registry)
                .increment();
    }

    void upstreamError(String upstream) {
        Counter.builder("localrag.upstream.errors")
                .description("Errors from model servers (Ollama)")
                .tags("upstream", upstream)
                .register(registry)
                .increment();
    }

    void citationsRemoved(int n) {
        if (n > 0) {
            Counter.builder("localrag.citations.removed")
                    .description("Citation markers that pointed to no source and were removed")
                    .register(registry)
                    .increment(n);
        }
    }

    void ingested(String collection, String outcome, int files) {
        Counter.builder("localrag.ingest.files")
                .description("Files handled by ingest jobs, by outcome: indexed, unchanged, failed")
                .tags("collection", collection, "outcome", outcome)
                .register(registry)
                .increment(files);
    }

    void ingestRun(String collection, int chunks, Duration elapsed, int files) {
        Counter.builder("localrag.ingest.chunks")
                .description("Chunks written by ingest jobs")
                .tags("collection", collection)
                .register(registry)
                .increment(chunks);
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-9);
        DistributionSummary.builder("localrag.ingest.files.per.second")
                .description("Ingest speed per job, files per second")
                .tags("collection", collection)
                .register(registry)
                .record(files / seconds);
        DistributionSummary.builder("localrag.ingest.chunks.per.second")
                .description("Ingest speed per job, chunks per second")
                .tags("collection", collection)
                .register(registry)
                .record(chunks / seconds);
    }

    void gauge(String name, String description, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value)
                .description(description)
                .register(registry);
    }

    String scrape() {
        return registry.scrape();
    }
}
