package dev.localrag.core.index;

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
import java.util.TreeMap;
import java.util.UUID;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Metadata on chunk records, and LangChain4j {@link Filter}s translated to Lucene queries over it.
 *
 * <p>Each key gets a field per value kind, so one key may hold strings in some documents and
 * numbers in others without breaking Lucene's per-field schema: {@code ms.KEY} (string term),
 * {@code ml.KEY} (integral, {@link LongPoint}), {@code md.KEY} (floating, {@link DoublePoint}).
 * Stored copies keep the Java type: {@code v.KEY} (String, Integer, Long, Float, Double), {@code
 * u.KEY} (UUID). Numbers compare by value across kinds, like LangChain4j's own filters (a Float is
 * compared by its decimal form, so {@code 1.1f} equals {@code 1.1}). A negated filter ({@code
 * isNotEqualTo}, {@code isNotIn}, {@code not}) matches chunks without the key, as in LangChain4j.
 */
final class MetadataFields {

    private static final String STRING = "ms.";
    private static final String LONG = "ml.";
    private static final String DOUBLE = "md.";
    private static final String STORED = "v.";
    private static final String STORED_UUID = "u.";

    private MetadataFields() {}

    /** Stores a document's extra metadata on its document record (not searchable there). */
    static void store(Document d, SourceDocument document) {
        for (Map.Entry<String, Object> e : document.metadata().entrySet()) {
            store(d, e.getKey(), e.getValue());
        }
    }

    /** Indexes a document's built-in and extra metadata on one chunk record, and stores the extra. */
    static void addTo(Document d, SourceDocument document) {
        index(d, SourceDocument.PATH, document.id());
        if (!document.title().isEmpty()) {
            index(d, SourceDocument.TITLE, document.title());
        }
        if (!document.mimeType().isEmpty()) {
            index(d, SourceDocument.MIME_TYPE, document.mimeType());
        }
        if (document.size() > 0) {
            index(d, SourceDocument.SIZE, document.size());
        }
        if (document.modifiedMillis() > 0) {
            index(d, SourceDocument.MODIFIED, document.modifiedMillis());
        }
        for (Map.Entry<String, Object> e : document.metadata().entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            index(d, key, value);
            store(d, key, value);
        }
    }

    private static void store(Document d, String key, Object value) {
        {
            switch (value) {
                case String s -> d.add(new StoredField(STORED + key, s));
                case UUID u -> d.add(new StoredField(STORED_UUID + key, u.toString()));
                case Integer i -> d.add(new StoredField(STORED + key, i));
                case Long l -> d.add(new StoredField(STORED + key, l));
                case Float f -> d.add(new StoredField(STORED + key, f));
                case Double x -> d.add(new StoredField(STORED + key, x));
                default -> throw new IllegalStateException("unexpected metadata type " + value.getClass());
            }
        }
    }

    private static void index(Document d, String key, Object value) {
        switch (value) {
            case String s -> d.add(new StringField(STRING + key, s, Field.Store.NO));
            case UUID u -> d.add(new StringField(STRING + key, u.toString(), Field.Store.NO));
            case Integer i -> d.add(new LongPoint(LONG + key, i));
            case Long l -> d.add(new LongPoint(LONG + key, l));
            case Float f -> d.add(new DoublePoint(DOUBLE + key, decimal(f)));
            case Double x -> d.add(new DoublePoint(DOUBLE + key, x));
            default -> throw new IllegalStateException("unexpected metadata type " + value.getClass());
        }
    }

    /** The extra metadata stored on a chunk record, with the types it was added with. */
    static Map<String, Object> read(Document d) {
        Map<String, Object> out = null;
        for (IndexableField f : d.getFields()) {
            String name = f.name();
            Object value;
            if (name.startsWith(STORED)) {
                value = f.numericValue() != null ? f.numericValue() : f.stringValue();
                name = name.substring(STORED.length());
            } else if (name.startsWith(STORED_UUID)) {
                value = UUID.fromString(f.stringValue());
                name = name.substring(STORED_UUID.length());
            } else {
                continue;
            }
            if (out == null) {
                out = new TreeMap<>();
            }
            out.put(name, value);
        }
        return out == null ? Map.of() : out;
    }

    /**
     * The chunks matching {@code filter}, as a Lucene query.
     *
     * @param allChunks matches every chunk record; negations subtract from it
     * @throws UnsupportedFilterException for a filter class or value type this index cannot evaluate
     */
    static Query toQuery(Filter filter, Query allChunks) {
        return switch (filter) {
            case IsEqualTo f -> equalTo(f.key(), f.comparisonValue());
            case IsNotEqualTo f -> not(allChunks, equalTo(f.key(), f.comparisonValue()));
            case IsGreaterThan f -> range(f.key(), f.comparisonValue(), false, true);
            case IsGreaterThanOrEqualTo f -> range(f.key(), f.comparisonValue(), true, true);
            case IsLessThan f -> range(f.key(), f.comparisonValue(), false, false);
            case IsLessThanOrEqualTo f -> range(f.key(), f.comparisonValue(), true, false);
            case IsIn f -> anyOf(f.key(), f.comparisonValues());
            case IsNotIn f -> not(allChunks, anyOf(f.key(), f.comparisonValues()));
            case ContainsString f -> contains(f.key(), f.comparisonValue());
            case StartsWith f -> new PrefixQuery(new Term(STRING + f.key(), f.prefix()));
            case And f ->
                new BooleanQuery.Builder()
                        .add(toQuery(f.left(), allChunks), Occur.FILTER)
                        .add(toQuery(f.right(), allChunks), Occur.FILTER)
                        .build();
            case Or f ->
                new BooleanQuery.Builder()
                        .add(toQuery(f.left(), allChunks), Occur.SHOULD)
                        .add(toQuery(f.right(), allChunks), Occur.SHOULD)
                        .setMinimumNumberShouldMatch(1)
                        .build();
            case Not f -> not(allChunks, toQuery(f.expression(), allChunks));
            case null -> throw new IllegalArgumentException("filter must not be null");
            default -> throw UnsupportedFilterException.filter(filter);
        };
    }

    private static Query not(Query all, Query excluded) {
        return new BooleanQuery.Builder()
                .add(all, Occur.FILTER)
                .add(excluded, Occur.MUST_NOT)
                .build();
    }

    private static Query equalTo(String key, Object value) {
        return switch (value) {
            case String s -> new TermQuery(new Term(STRING + key, s));
            case UUID u -> new TermQuery(new Term(STRING + key, u.toString()));
            case Integer i -> integral(key, i);
            case Long l -> integral(key, l);
            case Float f -> floating(key, decimal(f));
            case Double x -> floating(key, x);
            default -> throw UnsupportedFilterException.value(key, value);
        };
    }

    private static Query integral(String key, long v) {
        return either(LongPoint.newExactQuery(LONG + key, v), DoublePoint.newExactQuery(DOUBLE + key, v));
    }

    private static Query floating(String key, double v) {
        Query asDouble = DoublePoint.newExactQuery(DOUBLE + key, v);
        if (v == Math.rint(v) && Math.abs(v) < 0x1p63) {
            return either(asDouble, LongPoint.newExactQuery(LONG + key, (long) v));
        }
        return asDouble;
    }

    private static Query anyOf(String key, Collection<?> values) {
        BooleanQuery.Builder b = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        for (Object v : values) {
            b.add(equalTo(key, v), Occur.SHOULD);
        }
        return b.build();
    }

    private static Query contains(String key, String part) {
        StringBuilder pattern = new StringBuilder("*");
        for (char c : part.toCharArray()) {
            if (c == WildcardQuery.WILDCARD_STRING
                    || c == WildcardQuery.WILDCARD_CHAR
                    || c == WildcardQuery.WILDCARD_ESCAPE) {
                pattern.append(WildcardQuery.WILDCARD_ESCAPE);
            }
            pattern.append(c);
        }
        return new WildcardQuery(new Term(STRING + key, pattern.append('*').toString()));
    }

    /** Values {@code >} (or {@code >=} when inclusive) the bound when {@code above}, else below it. */
    private static Query range(String key, Object bound, boolean inclusive, boolean above) {
        switch (bound) {
            case String s -> {
                return stringRange(key, s, inclusive, above);
            }
            case UUID u -> {
                return stringRange(key, u.toString(), inclusive, above);
            }
            case Integer i -> {
                return integralRange(key, i, inclusive, above);
            }
            case Long l -> {
                return integralRange(key, l, inclusive, above);
            }
            case Float f -> {
                return floatingRange(key, decimal(f), inclusive, above);
            }
            case Double x -> {
                return floatingRange(key, x, inclusive, above);
            }
            default -> throw UnsupportedFilterException.value(key, bound);
        }
    }

    private static Query stringRange(String key, String s, boolean inclusive, boolean above) {
        BytesRef b = new BytesRef(s);
        return above
                ? new TermRangeQuery(STRING + key, b, null, inclusive, true)
                : new TermRangeQuery(STRING + key, null, b, true, inclusive);
    }

    private static Query integralRange(String key, long v, boolean inclusive, boolean above) {
        Query longs;
        if (above) {
            longs = !inclusive && v == Long.MAX_VALUE
                    ? new MatchNoDocsQuery()
                    : LongPoint.newRangeQuery(LONG + key, inclusive ? v : v + 1, Long.MAX_VALUE);
        } else {
            longs = !inclusive && v == Long.MIN_VALUE
                    ? new MatchNoDocsQuery()
                    : LongPoint.newRangeQuery(LONG + key, Long.MIN_VALUE, inclusive ? v : v - 1);
        }
        return either(longs, doubleRange(key, v, inclusive, above));
    }

    private static Query floatingRange(String key, double d, boolean inclusive, boolean above) {
        Query longs;
        if (above) {
            double lower = inclusive ? Math.ceil(d) : Math.floor(d) + 1;
            longs = lower >= 0x1p63
                    ? new MatchNoDocsQuery()
                    : LongPoint.newRangeQuery(LONG + key, Math.max((long) lower, Long.MIN_VALUE), Long.MAX_VALUE);
        } else {
            double upper = inclusive ? Math.floor(d) : Math.ceil(d) - 1;
            longs = upper < -0x1p63
                    ? new MatchNoDocsQuery()
                    : LongPoint.newRangeQuery(LONG + key, Long.MIN_VALUE, (long) upper);
        }
        return either(longs, doubleRange(key, d, inclusive, above));
    }

    private static Query doubleRange(String key, double d, boolean inclusive, boolean above) {
        return above
                ? DoublePoint.newRangeQuery(DOUBLE + key, inclusive ? d : Math.nextUp(d), Double.POSITIVE_INFINITY)
                : DoublePoint.newRangeQuery(DOUBLE + key, Double.NEGATIVE_INFINITY, inclusive ? d : Math.nextDown(d));
    }

    private static Query either(Query a, Query b) {
        return new BooleanQuery.Builder()
                .add(a, Occur.SHOULD)
                .add(b, Occur.SHOULD)
                .setMinimumNumberShouldMatch(1)
                .build();
    }

    /** A float by its shortest decimal form, as LangChain4j compares numbers. */
    private static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }
}
