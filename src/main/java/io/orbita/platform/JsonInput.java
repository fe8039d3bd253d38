package io.orbita.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads a JSON object field by field with three states per field: absent ({@code null}), JSON null
 * ({@code Optional.empty()}) or a value. Jackson's binding cannot tell absent from null for records, and partial
 * updates depend on that difference. Type mismatches and unknown fields are reported as problems rather than
 * silently dropped, so a misspelt "fistName" is an error, not a lost value.
 */
public final class JsonInput {

    private final JsonNode node;
    private final Problems problems;
    private final String prefix;
    private final Set<String> asked = new LinkedHashSet<>();

    private JsonInput(JsonNode node, Problems problems, String prefix) {
        this.node = node;
        this.problems = problems;
        this.prefix = prefix;
    }

    private String path(String name) {
        return prefix + name;
    }

    /** @throws ValidationException when the body is not a JSON object */
    public static JsonInput of(JsonNode node, Problems problems) {
        if (node == null || !node.isObject()) {
            throw new ValidationException(FieldProblem.of("", "body.notObject", "the body must be a JSON object"));
        }
        return new JsonInput(node, problems, "");
    }

    public Optional<String> text(String name) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return Optional.empty();
        }
        if (v.isString() || v.isNumber() || v.isBoolean()) {
            return Optional.of(v.asString());
        }
        problems.add(path(name), "json.type", name + " must be a string");
        return null;
    }

    public Optional<Long> id(String name) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return Optional.empty();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Optional.of(v.asLong());
        }
        if (v.isString() && v.asString().strip().matches("\\d{1,18}")) {
            return Optional.of(Long.parseLong(v.asString().strip()));
        }
        problems.add(path(name), "json.type", name + " must be a whole number");
        return null;
    }

    public Optional<List<String>> strings(String name) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return Optional.empty();
        }
        if (!v.isArray()) {
            problems.add(path(name), "json.type", name + " must be an array of strings");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!(e.isString() || e.isNumber())) {
                problems.add(path(name), "json.type", name + " must be an array of strings");
                return null;
            }
            out.add(e.asString());
        }
        return Optional.of(out);
    }

    /** An object of scalar values (custom fields); nested objects or arrays are refused. */
    public Optional<Map<String, Object>> scalars(String name) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            problems.add(path(name), "json.type", name + " must be an object");
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : v.properties()) {
            JsonNode x = e.getValue();
            if (x.isNull()) {
                out.put(e.getKey(), null);
            } else if (x.isNumber()) {
                out.put(e.getKey(), x.decimalValue());
            } else if (x.isBoolean()) {
                out.put(e.getKey(), x.asBoolean());
            } else if (x.isString()) {
                out.put(e.getKey(), x.asString());
            } else {
                problems.add(path(name) + "." + e.getKey(), "json.type", "a custom field value must be a string, number or boolean");
            }
        }
        return Optional.of(out);
    }

    public Optional<java.math.BigDecimal> decimal(String name) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return Optional.empty();
        }
        try {
            if (v.isNumber()) {
                return Optional.of(v.decimalValue());
            }
            if (v.isString()) {
                return Optional.of(new java.math.BigDecimal(v.asString().strip().replace(',', '.').replace(" ", "")));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(path(name), "json.type", name + " must be a number");
        return null;
    }

    /**
     * A moment in time: an ISO instant with offset ({@code 2026-11-20T10:15:00+03:00}), or a date or local date-time,
     * which are read in the given zone (the workspace's).
     */
    public Optional<java.time.Instant> instant(String name, java.time.ZoneId zone) {
        Optional<String> text = text(name);
        if (text == null || text.isEmpty()) {
            return text == null ? null : Optional.empty();
        }
        String t = text.get().strip();
        try {
            return Optional.of(java.time.OffsetDateTime.parse(t).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return Optional.of(java.time.LocalDateTime.parse(t).atZone(zone).toInstant());
            } catch (java.time.format.DateTimeParseException e2) {
                try {
                    return Optional.of(java.time.LocalDate.parse(t).atStartOfDay(zone).toInstant());
                } catch (java.time.format.DateTimeParseException e3) {
                    problems.add(path(name), "json.time", name + " must be an ISO date or date-time, e.g. 2026-11-20T10:15:00+03:00");
                    return null;
                }
            }
        }
    }

    /** Any JSON object, kept as it is (event properties); nesting and arrays are allowed. */
    public Optional<Map<String, Object>> object(String name) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            problems.add(path(name), "json.type", name + " must be an object");
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : v.properties()) {
            out.put(e.getKey(), plain(e.getValue()));
        }
        return Optional.of(out);
    }

    private static Object plain(JsonNode v) {
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (var e : v.properties()) {
                m.put(e.getKey(), plain(e.getValue()));
            }
            return m;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(x -> l.add(plain(x)));
            return l;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.isNull() ? null : v.asString();
    }

    /** An array of objects, each read by the caller with its own {@link JsonInput} (see {@link #nested}). */
    public Optional<List<JsonNode>> objects(String name) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return Optional.empty();
        }
        if (!v.isArray()) {
            problems.add(path(name), "json.type", name + " must be an array of objects");
            return null;
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isObject()) {
                problems.add(path(name), "json.type", name + " must be an array of objects");
                return null;
            }
            out.add(e);
        }
        return Optional.of(out);
    }

    /** Reads an object nested in this one; its problems are reported under {@code path}, e.g. {@code lines[2].}. */
    public JsonInput nested(JsonNode child, String path) {
        return new JsonInput(child, problems, prefix + path);
    }

    /** Reports every field of the object that no reader asked for. Call after reading all fields. */
    public void rejectUnknown() {
        for (String name : node.propertyNames()) {
            if (!asked.contains(name)) {
                problems.add(path(name), "json.unknownField", "unknown field '" + name + "'", name);
            }
        }
    }

    private JsonNode field(String name) {
        asked.add(name);
        return node.get(name);
    }
}
