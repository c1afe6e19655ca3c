package dev.localrag.core.index;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.Checks;

/**
 * A metadata filter LangChain4j lacks: the string value of {@code key} starts with {@code prefix}
 * (e.g. every document under a folder: {@code new StartsWith("path", "/docs/team/")}). Combines
 * with LangChain4j's filters ({@code and}, {@code or}, {@code not}) and, like them, is evaluated
 * inside the index's searches (a Lucene prefix query on the key's string field).
 *
 * @param key a metadata key such as {@code path}
 * @param prefix the wanted start of the value; not empty
 */
public record StartsWith(String key, String prefix) implements Filter {

    public StartsWith {
        Checks.notBlank(key, "key");
        Checks.notNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("prefix must not be empty (an empty prefix matches everything)");
        }
    }

    /** For in-memory evaluation ({@link Metadata} or a map-like object): a string value starting with the prefix. */
    @Override
    public boolean test(Object object) {
        if (!(object instanceof Metadata metadata) || !metadata.containsKey(key)) {
            return false;
        }
        return metadata.toMap().get(key) instanceof String s && s.startsWith(prefix);
    }
}
