package dev.localrag.core.index;

import dev.localrag.core.LocalRagException;

/** A metadata filter (or filter value type) the index cannot evaluate; it is never silently ignored. */
public class UnsupportedFilterException extends LocalRagException {

    public UnsupportedFilterException(String message) {
        super(message);
    }

    /** A filter type no index evaluates. */
    static UnsupportedFilterException filter(Object filter) {
        return new UnsupportedFilterException(
                "Unsupported metadata filter " + filter.getClass().getName() + " ("
                        + filter + "). Supported: isEqualTo, isNotEqualTo, isGreaterThan(OrEqualTo),"
                        + " isLessThan(OrEqualTo), isIn, isNotIn, containsString, StartsWith, and, or, not.");
    }

    /** A value of a type filters cannot compare with. */
    static UnsupportedFilterException value(String key, Object value) {
        return new UnsupportedFilterException("Metadata filter on \"" + key + "\" compares with a value of type "
                + (value == null ? "null" : value.getClass().getName())
                + "; use String, UUID, Integer, Long, Float or Double.");
    }
}
