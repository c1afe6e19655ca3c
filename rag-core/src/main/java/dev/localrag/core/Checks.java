package dev.localrag.core;

import java.util.Collection;

/** Argument checks that return the value and name the parameter and the bad value. */
@Internal
public final class Checks {

    private Checks() {}

    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    public static String notBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, but was " + quote(value));
        }
        return value;
    }

    public static <C extends Collection<?>> C notEmpty(C value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    public static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, but was " + value);
        }
        return value;
    }

    public static int between(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", but was " + value);
        }
        return value;
    }

    private static String quote(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
