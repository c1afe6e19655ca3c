package dev.localrag.cli;

import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.ollama.OllamaClient;
import dev.localrag.core.ollama.OllamaProbe;
import dev.localrag.core.ollama.OllamaStatus;
import dev.localrag.core.ollama.PullProgress;
import java.io.PrintWriter;

/** With {@code --pull} / {@code ollama.autoPull}: pulls missing Ollama models, showing progress. */
final class ModelPuller {

    private ModelPuller() {}

    /**
     * With auto-pull on ({@code --pull} / {@code ollama.autoPull}): pulls {@code model} when Ollama
     * runs and lacks it, showing progress; otherwise does nothing (and does not even probe).
     */
    static void pullIfMissing(OllamaSettings settings, String model, PrintWriter err) {
        if (!settings.autoPull()) {
            return;
        }
        OllamaStatus status = new OllamaProbe(settings).check();
        if (!status.reachable() || status.hasModel(model)) {
            return;
        }
        err.println("Pulling " + model + " from Ollama at " + status.baseUrl() + " ...");
        try (OllamaClient client = new OllamaClient(settings)) {
            client.pull(model, progress(err));
        }
    }

    /** One line per status change; layer downloads at every 10 %. */
    static java.util.function.Consumer<PullProgress> progress(PrintWriter err) {
        String[] last = {""};
        return p -> {
            String line = p.total() > 0
                    ? p.status() + " " + (10 * (int) (10.0 * p.completed() / p.total())) + "%"
                    : p.status();
            if (!line.equals(last[0])) {
                last[0] = line;
                err.println("  " + line);
            }
        };
    }
}
