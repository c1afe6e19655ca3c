package dev.localrag.core;

/** A model server could not be reached or failed transiently. Retrying later may help. */
public class ModelUnavailableException extends LocalRagException {

    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
