package dev.localrag.core.config;

import dev.localrag.core.ConfigurationException;
import java.net.URI;
import java.util.Locale;

/**
 * The {@code MODEL@URL} part of an {@code openai:MODEL@URL} spec, e.g. {@code
 * text-embedding-3-small@https://api.openai.com/v1} or {@code qwen3:4b@http://localhost:11434/v1}.
 *
 * @param model the model name the server knows
 * @param baseUrl the API root (ending in {@code /v1} for most servers)
 */
public record OpenAiTarget(String model, URI baseUrl) {

    public static OpenAiTarget parse(String modelAtUrl) {
        int at = modelAtUrl.lastIndexOf('@');
        if (at <= 0 || at == modelAtUrl.length() - 1) {
            throw new ConfigurationException("OpenAI-compatible spec \"openai:" + modelAtUrl
                    + "\" must be openai:MODEL@URL, e.g. openai:text-embedding-3-small@https://api.openai.com/v1"
                    + " or openai:qwen3:4b@http://localhost:11434/v1.");
        }
        String url = modelAtUrl.substring(at + 1).strip();
        String scheme =
                url.contains("://") ? url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT) : "";
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigurationException("OpenAI-compatible spec \"openai:" + modelAtUrl + "\": the URL \"" + url
                    + "\" must start with http:// or https://.");
        }
        try {
            return new OpenAiTarget(modelAtUrl.substring(0, at).strip(), URI.create(url.replaceAll("/+$", "")));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(
                    "OpenAI-compatible spec \"openai:" + modelAtUrl + "\": \"" + url + "\" is not a valid URL.", e);
        }
    }
}
