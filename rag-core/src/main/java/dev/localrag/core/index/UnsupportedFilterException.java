package dev.localrag.core.index;

import dev.localrag.core.LocalRagException;

/** A metadata filter (or filter value type) the index cannot evaluate; it is never silently ignored. */
public class UnsupportedFilterException extends LocalRagException {

    public UnsupportedFilterException(String message) {
        super(message);
    }
}
