package dev.localrag.core.answer;

import dev.localrag.core.config.ChatModelSpec;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.embed.Embedders;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.ollama.OllamaStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The one check of whether the configured chat model can answer, for answers, readiness and
 * doctor alike: Ollama's {@code /api/tags} for an Ollama model (running, model pulled), the
 * server's {@code /models} for an {@code openai:MODEL@URL} one. Never throws: an unreachable
 * server is a {@link Status} with a notice that says what to do.
 */
public final class ChatAvailability {

    private static final long TTL_NANOS = Duration.ofSeconds(5).toNanos();

    /**
     * @param model the configured chat model
     * @param server where it runs
     * @param available whether answers can be generated
     * @param notice why not and what to do (empty when available); shown with extractive answers
     */
    public record Status(ChatModelSpec model, URI server, boolean available, String notice) {}

    private final OllamaSettings settings;
    private volatile Status last;
    private volatile long lastAt;

    public ChatAvailability(OllamaSettings settings) {
        this.settings = settings;
    }

    public ChatModelSpec model() {
        return settings.chatModel();
    }

    /** Checks now. */
    public Status check() {
        Status s = switch (settings.chatModel().provider()) {
            case OLLAMA -> ollama();
            case OPENAI -> openAi();
        };
        last = s;
        lastAt = System.nanoTime();
        return s;
    }

    /** The last result when it is at most 5 s old, else {@link #check()}: for per-request use. */
    public Status recent() {
        Status s = last;
        return s != null && System.nanoTime() - lastAt <= TTL_NANOS ? s : check();
    }

    private Status ollama() {
        ChatModelSpec spec = settings.chatModel();
        String model = spec.model();
        OllamaStatus status = new OllamaProbe(settings).check();
        if (!status.reachable()) {
            return new Status(
                    spec,
                    status.baseUrl(),
                    false,
                    "Generated answers need Ollama, which is not running at " + status.baseUrl()
                            + ": start it with `ollama serve` (or set OLLAMA_HOST) and `ollama pull " + model
                            + "`. Showing the retrieved passages instead.");
        }
        if (!status.hasModel(model)) {
            return new Status(
                    spec,
                    status.baseUrl(),
                    false,
                    "Generated answers need the chat model " + model + ", which Ollama at " + status.baseUrl()
                            + " does not have: run `ollama pull " + model
                            + "` (or pass --pull). Showing the retrieved passages instead.");
        }
        return new Status(spec, status.baseUrl(), true, "");
    }

    private Status openAi() {
        ChatModelSpec spec = settings.chatModel();
        URI models = URI.create(spec.baseUrl() + "/models");
        String problem;
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(settings.probeTimeout())
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            HttpRequest.Builder request = HttpRequest.newBuilder(models)
                    .timeout(settings.probeTimeout())
                    .GET();
            String key = Embedders.openAiKeyFromEnv();
            if (key != null && !key.isBlank()) {
                request.header("Authorization", "Bearer " + key);
            }
            settings.headers().forEach(request::header);
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status / 100 == 2) {
                return new Status(spec, spec.baseUrl(), true, "");
            }
            problem = status == 401 || status == 403
                    ? "refused the credentials (HTTP " + status + "): set OPENAI_API_KEY or ollama.headers"
                    : "answered HTTP " + status + " to GET " + models;
        } catch (IOException e) {
            problem = "is not reachable (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "was not checked (interrupted)";
        }
        return new Status(
                spec,
                spec.baseUrl(),
                false,
                "Generated answers need the OpenAI-compatible server at " + spec.baseUrl() + ", which " + problem
                        + ". Showing the retrieved passages instead.");
    }
}
