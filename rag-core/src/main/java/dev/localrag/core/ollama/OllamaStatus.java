package dev.localrag.core.ollama;

import java.net.URI;
import java.util.List;

/** What {@link OllamaProbe} found at {@code baseUrl}. */
public record OllamaStatus(URI baseUrl, boolean reachable, String version, List<String> models, String problem) {

    static OllamaStatus unreachable(URI baseUrl, String problem) {
        return new OllamaStatus(baseUrl, false, "", List.of(), problem);
    }

    /** True when {@code model} is pulled; a name without a tag matches {@code :latest}. */
    public boolean hasModel(String model) {
        String wanted = model.contains(":") ? model : model + ":latest";
        return models.stream().anyMatch(m -> m.equals(model) || m.equals(wanted));
    }

    /** One line for users: how to start Ollama, as Ollama's own docs say. */
    public String startHint() {
        return "Ollama is not running at " + baseUrl + " — start it with `ollama serve` (or set OLLAMA_HOST)";
    }
}
