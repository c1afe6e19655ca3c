package dev.localrag.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** A JSON request body with checks whose messages name the field and the bad value. */
final class JsonBody {

    /** How deep a request body may nest (the deepest real body, a filter in a query, is 3). */
    static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /**
     * Parses a request body: strict UTF-8, one JSON object and nothing after it, nested at most
     * {@value #MAX_DEPTH} deep.
     */
    static JsonBody parse(ObjectMapper json, byte[] bytes) {
        String body;
        try {
            body = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("The request body is not valid UTF-8; send JSON encoded as UTF-8.");
        }
        if (body.isBlank()) {
            throw ApiException.badRequest("The request body is empty; send a JSON object.");
        }
        JsonNode parsed;
        try {
            parsed = json.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .with(FACTORY)
                    .readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest(
                    "The request body is nested too deeply: JSON may nest at most " + MAX_DEPTH + " levels.");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            String what = e.getOriginalMessage() == null
                    ? ""
                    : ": " + e.getOriginalMessage().lines().findFirst().orElse("");
            throw ApiException.badRequest("The request body is not valid JSON" + what + where + ".");
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw ApiException.badRequest("The request body is empty; send a JSON object.");
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiException.badRequest("The request body must be a JSON object, but was " + parsed.getNodeType());
        }
        return new JsonBody(object);
    }

    static JsonBody of(ObjectNode node) {
        return new JsonBody(node);
    }

    /** Refuses fields this endpoint does not know, so typos are not silently ignored. */
    JsonBody onlyFields(Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest("Unknown field \"" + name + "\". Known fields: "
                        + known.stream().sorted().toList() + ".");
            }
        }
        return this;
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    JsonNode node(String field) {
        return node.get(field);
    }

    String requiredString(String field) {
        String value = optionalString(field);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("Field \"" + field + "\" is required and must be a non-empty string.");
        }
        return value;
    }

    String optionalString(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("Field \"" + field + "\" must be a string, but was " + v);
        }
        return v.asText();
    }

    Integer optionalInt(String field, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw ApiException.badRequest(
                    "Field \"" + field + "\" must be an integer from " + min + " to " + max + ", but was " + v);
        }
        return v.asInt();
    }

    boolean optionalBoolean(String field, boolean fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest("Field \"" + field + "\" must be true or false, but was " + v);
        }
        return v.asBoolean();
    }

    static List<String> stringList(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw ApiException.badRequest("Field \"" + field + "\" must be an array of strings, but was " + v);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw ApiException.badRequest("Field \"" + field + "\" must hold strings only, but has " + item);
            }
            out.add(item.asText());
        }
        return out;
    }
}
