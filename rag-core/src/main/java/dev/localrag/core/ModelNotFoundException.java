package dev.localrag.core;

/**
 * The model server runs but does not have the model. Not retriable: the message says how to get it
 * (for Ollama: {@code ollama pull MODEL}, or set {@code ollama.autoPull} / pass {@code --pull}).
 */
public class ModelNotFoundException extends ConfigurationException {

    private final String model;

    public ModelNotFoundException(String model, String message) {
        super(message);
        this.model = model;
    }

    /** The model name as the server was asked for it. */
    public String model() {
        return model;
    }
}
