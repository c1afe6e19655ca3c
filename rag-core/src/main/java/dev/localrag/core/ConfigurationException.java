package dev.localrag.core;

/**
 * A setting, flag, file or argument is wrong. Retrying does not help; the message names what to
 * change.
 */
public class ConfigurationException extends LocalRagException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
