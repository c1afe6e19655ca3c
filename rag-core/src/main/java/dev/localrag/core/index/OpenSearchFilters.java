package dev.localrag.core.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Document metadata on an OpenSearch source-document record, and LangChain4j {@link Filter}s
 * translated to OpenSearch query DSL over it: the same semantics as the local index's {@link
 * MetadataFields} (a field per value kind, numbers compared by value across kinds, a negation
 * matching documents without the key).
 *
 * <p>Fields: {@code ms.KEY} (keyword), {@code ml.KEY} (long), {@code md.KEY} (double), filled by
 * dynamic templates; the typed values are kept in {@code extra} (not indexed) to be read back.
 * Keys are escaped ({@code %} and {@code .}) so a key never becomes an object path.
 */
final class OpenSearchFilters {

    static final String STRING = "ms";
    static final String LONG = "ml";
    static final String DOUBLE = "md";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OpenSearchFilters() {}

    /** The filterable fields of {@code document}: built-in keys and extra metadata. */
    static void addTo(ObjectNode record, SourceDocument document) {
        ObjectNode strings = record.putObject(STRING);
        ObjectNode longs = record.putObject(LONG);
        ObjectNode doubles = record.putObject(DOUBLE);
        strings.put(key(SourceDocument.PATH), document.id());
        if (!document.title().isEmpty()) {
            strings.put(key(SourceDocument.TITLE), document.title());
        }
        if (!document.mimeType().isEmpty()) {
            strings.put(key(SourceDocument.MIME_TYPE), document.mimeType());
        }
        if (document.size() > 0) {
            longs.put(key(SourceDocument.SIZE), document.size());
        }
        if (document.modifiedMillis() > 0) {
            longs.put(key(SourceDocument.MODIFIED), document.modifiedMillis());
        }
        ArrayNode extra = record.putArray("extra");
        for (Map.Entry<String, Object> e : document.metadata().entrySet()) {
            String k = key(e.getKey());
            ObjectNode typed = extra.addObject().put("k", e.getKey());
            switch (e.getValue()) {
                case String s -> {
                    strings.put(k, s);
                    typed.put("t", "s").put("v", s);
                }
                case UUID u -> {
                    strings.put(k, u.toString());
                    typed.put("t", "u").put("v", u.toString());
                }
                case Integer i -> {
                    longs.put(k, i);
                    typed.put("t", "i").put("v", i.toString());
                }
                case Long l -> {
                    longs.put(k, l);
                    typed.put("t", "l").put("v", l.toString());
                }
                case Float f -> {
                    doubles.put(k, decimal(f));
                    typed.put("t", "f").put("v", f.toString());
                }
                case Double d -> {
                    doubles.put(k, d);
                    typed.put("t", "d").put("v", d.toString());
                }
                default ->
                    throw new IllegalStateException(
                            "unexpected metadata type " + e.getValue().getClass());
            }
        }
    }

    /** The extra metadata of a record's {@code extra}, with the types it was added with. */
    static Map<String, Object> read(JsonNode extra) {
        if (extra == null || extra.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new java.util.TreeMap<>();
        for (JsonNode e : extra) {
            String v = e.path("v").asText();
            Object value = switch (e.path("t").asText()) {
                case "s" -> v;
                case "u" -> UUID.fromString(v);
                case "i" -> Integer.valueOf(v);
                case "l" -> Long.valueOf(v);
                case "f" -> Float.valueOf(v);
                case "d" -> Double.valueOf(v);
                default -> throw new IllegalStateException("unknown metadata type in " + e);
            };
            out.put(e.path("k").asText(), value);
        }
        return out;
    }

    /** {@code KEY} as a field name part: {@code %} and {@code .} escaped. */
    static String key(String key) {
        return key.replace("%", "%25").replace(".", "%2E");
    }

    static String field(String kind, String key) {
        return kind + "." + key(key);
    }

    /**
     * {@code filter} as a query matching source-document records.
     *
     * @throws UnsupportedFilterException for a filter class or value type that cannot be evaluated
     */
    static ObjectNode toQuery(Filter filter) {
        return switch (filter) {
            case IsEqualTo f -> equalTo(f.key(), f.comparisonValue());
            case IsNotEqualTo f -> not(equalTo(f.key(), f.comparisonValue()));
            case IsGreaterThan f -> range(f.key(), f.comparisonValue(), false, true);
            case IsGreaterThanOrEqualTo f -> range(f.key(), f.comparisonValue(), true, true);
            case IsLessThan f -> range(f.key(), f.comparisonValue(), false, false);
            case IsLessThanOrEqualTo f -> range(f.key(), f.comparisonValue(), true, false);
            case IsIn f -> anyOf(f.key(), f.comparisonValues());
            case IsNotIn f -> not(anyOf(f.key(), f.comparisonValues()));
            case ContainsString f -> contains(f.key(), f.comparisonValue());
            case StartsWith f -> leaf("prefix", field(STRING, f.key()), F.textNode(f.prefix()));
            case And f -> bool("filter", toQuery(f.left()), toQuery(f.right()));
            case Or f -> bool("should", toQuery(f.left()), toQuery(f.right()));
            case Not f -> not(toQuery(f.expression()));
            case null -> throw new IllegalArgumentException("filter must not be null");
            default -> throw UnsupportedFilterException.filter(filter);
        };
    }

    private static ObjectNode equalTo(String key, Object value) {
        return switch (value) {
            case String s -> term(field(STRING, key), F.textNode(s));
            case UUID u -> term(field(STRING, key), F.textNode(u.toString()));
            case Integer i -> integral(key, i);
            case Long l -> integral(key, l);
            case Float f -> floating(key, decimal(f));
            case Double x -> floating(key, x);
            default -> throw UnsupportedFilterException.value(key, value);
        };
    }

    private static ObjectNode integral(String key, long v) {
        return bool("should", term(field(LONG, key), F.numberNode(v)), term(field(DOUBLE, key), F.numberNode(v)));
    }

    private static ObjectNode floating(String key, double v) {
        ObjectNode asDouble = term(field(DOUBLE, key), F.numberNode(v));
        if (v == Math.rint(v) && Math.abs(v) < 0x1p63) {
            return bool("should", asDouble, term(field(LONG, key), F.numberNode((long) v)));
        }
        return asDouble;
    }

    private static ObjectNode anyOf(String key, Collection<?> values) {
        return bool("should", values.stream().map(v -> equalTo(key, v)).toArray(ObjectNode[]::new));
    }

    private static ObjectNode contains(String key, String part) {
        StringBuilder pattern = new StringBuilder("*");
        for (char c : part.toCharArray()) {
            if (c == '*' || c == '?' || c == '\\') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return leaf(
                "wildcard", field(STRING, key), F.textNode(pattern.append('*').toString()));
    }

    /** Values {@code >} (or {@code >=} when inclusive) the bound when {@code above}, else below it. */
    private static ObjectNode range(String key, Object bound, boolean inclusive, boolean above) {
        return switch (bound) {
            case String s -> stringRange(key, s, inclusive, above);
            case UUID u -> stringRange(key, u.toString(), inclusive, above);
            case Integer i -> numberRange(key, i, inclusive, above);
            case Long l -> numberRange(key, l, inclusive, above);
            case Float f -> numberRange(key, decimal(f), inclusive, above);
            case Double x -> numberRange(key, x, inclusive, above);
            default -> throw UnsupportedFilterException.value(key, bound);
        };
    }

    private static ObjectNode stringRange(String key, String s, boolean inclusive, boolean above) {
        ObjectNode bounds = F.objectNode();
        bounds.put(above ? (inclusive ? "gte" : "gt") : (inclusive ? "lte" : "lt"), s);
        return leaf("range", field(STRING, key), bounds);
    }

    private static ObjectNode numberRange(String key, long v, boolean inclusive, boolean above) {
        return bool("should", longRange(key, v, inclusive, above), doubleRange(key, v, inclusive, above));
    }

    private static ObjectNode numberRange(String key, double d, boolean inclusive, boolean above) {
        // integral values compare with the double bound by value: the nearest long bound that keeps the meaning
        ObjectNode longs;
        if (above) {
            double lower = inclusive ? Math.ceil(d) : Math.floor(d) + 1;
            longs = lower >= 0x1p63 ? matchNone() : longRange(key, (long) Math.max(lower, -0x1p63), true, true);
        } else {
            double upper = inclusive ? Math.floor(d) : Math.ceil(d) - 1;
            longs = upper < -0x1p63 ? matchNone() : longRange(key, (long) Math.min(upper, 0x1p63), true, false);
        }
        return bool("should", longs, doubleRange(key, d, inclusive, above));
    }

    private static ObjectNode longRange(String key, long v, boolean inclusive, boolean above) {
        ObjectNode bounds = F.objectNode();
        bounds.put(above ? (inclusive ? "gte" : "gt") : (inclusive ? "lte" : "lt"), v);
        return leaf("range", field(LONG, key), bounds);
    }

    private static ObjectNode doubleRange(String key, double d, boolean inclusive, boolean above) {
        ObjectNode bounds = F.objectNode();
        bounds.put(above ? (inclusive ? "gte" : "gt") : (inclusive ? "lte" : "lt"), d);
        return leaf("range", field(DOUBLE, key), bounds);
    }

    private static ObjectNode term(String field, JsonNode value) {
        return leaf("term", field, value);
    }

    private static ObjectNode leaf(String kind, String field, JsonNode value) {
        ObjectNode q = F.objectNode();
        q.putObject(kind).set(field, value);
        return q;
    }

    private static ObjectNode matchNone() {
        ObjectNode q = F.objectNode();
        q.putObject("match_none");
        return q;
    }

    private static ObjectNode not(ObjectNode excluded) {
        ObjectNode q = F.objectNode();
        ObjectNode b = q.putObject("bool");
        b.putArray("filter").addObject().putObject("match_all");
        b.putArray("must_not").add(excluded);
        return q;
    }

    private static ObjectNode bool(String occur, ObjectNode... clauses) {
        ObjectNode q = F.objectNode();
        ObjectNode b = q.putObject("bool");
        ArrayNode list = b.putArray(occur);
        for (ObjectNode c : clauses) {
            list.add(c);
        }
        if (occur.equals("should")) {
            b.put("minimum_should_match", 1);
        }
        return q;
    }

    /** A float by its shortest decimal form, as LangChain4j compares numbers. */
    private static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }
}
