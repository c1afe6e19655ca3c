package dev.localrag.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Plain-words descriptions of config file mistakes: where, what was expected, what was meant. */
final class ConfigProblems {

    private ConfigProblems() {}

    /**
     * The line of {@code key} in {@code file} (its first "key:"), else the parser's line; "?" when
     * neither is known.
     */
    static String lineOf(Path file, String key, JsonLocation location) {
        if (key != null) {
            try {
                Pattern p = Pattern.compile("^\\s*(-\\s+)?[\"']?" + Pattern.quote(key) + "[\"']?\\s*:");
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (p.matcher(lines.get(i)).find()) {
                        return Integer.toString(i + 1);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // fall back to the parser's location
            }
        }
        return location == null ? "?" : Integer.toString(location.getLineNr());
    }

    /** What the setting expects and what it got, e.g. "expected a whole number, but got 'six'". */
    static String expected(JsonMappingException e) {
        String got = e instanceof InvalidFormatException f && f.getValue() != null ? " '" + f.getValue() + "'" : "";
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "expected " + describe(m.getTargetType()) + (got.isEmpty() ? "" : ", but got" + got);
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        return message.lines().findFirst().orElse("not a usable value");
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a section of settings (key: value lines indented below it)";
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** The known name closest to {@code given} (a typo or a case slip), or null if none is close. */
    static String nearest(String given, List<String> known) {
        if (given == null) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(given.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(1, Math.min(3, given.length() / 3)) ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
