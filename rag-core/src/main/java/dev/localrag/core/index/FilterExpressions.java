package dev.localrag.core.index;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.Internal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metadata filters from text, for command lines and query strings: {@code KEY=VALUE} pairs.
 * Different keys must all match; the same key given more than once matches any of its values. A
 * value that reads as a number also matches numeric metadata ({@code size=1024}).
 */
@Internal
public final class FilterExpressions {

    private FilterExpressions() {}

    /**
     * @param expressions {@code KEY=VALUE} pairs
     * @param source what to name in errors, e.g. {@code --filter}
     * @return the filter, or null when there are no expressions
     * @throws ConfigurationException naming {@code source} and the bad expression
     */
    public static Filter parse(List<String> expressions, String source) {
        if (expressions == null || expressions.isEmpty()) {
            return null;
        }
        Map<String, Filter> byKey = new LinkedHashMap<>();
        for (String expression : expressions) {
            int eq = expression == null ? -1 : expression.indexOf('=');
            if (eq <= 0 || expression.substring(0, eq).isBlank()) {
                throw new ConfigurationException(source + " \"" + expression + "\" is not KEY=VALUE. Keys: "
                        + String.join(
                                ", ",
                                SourceDocument.BUILT_IN_KEYS.stream().sorted().toList())
                        + ", or a document's extra metadata; e.g. " + source + " mime_type=application/pdf.");
            }
            String key = expression.substring(0, eq).strip();
            Filter value = equalTo(key, expression.substring(eq + 1));
            byKey.merge(key, value, (a, b) -> a.or(b));
        }
        return byKey.values().stream().reduce((a, b) -> a.and(b)).orElseThrow();
    }

    private static Filter equalTo(String key, String value) {
        Filter asString = metadataKey(key).isEqualTo(value);
        try {
            return asString.or(metadataKey(key).isEqualTo(Long.parseLong(value.strip())));
        } catch (NumberFormatException notLong) {
            try {
                double d = Double.parseDouble(value.strip());
                return Double.isFinite(d) ? asString.or(metadataKey(key).isEqualTo(d)) : asString;
            } catch (NumberFormatException notNumber) {
                return asString;
            }
        }
    }
}
