package io.orbita.segments;

import io.orbita.platform.Problems;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One condition node of a rule as a {@link ConditionKind} reads it: typed getters that report a problem at the exact
 * path of the offending field ({@code rule.rules[1].days}) and return null, so one pass finds every mistake.
 */
public final class ConditionNode {

    /** Bounds of any "N days" in a rule: up to about a hundred years. */
    public static final int MAX_DAYS = 36_600;

    /** A time window: either end may be open (null). {@code from} inclusive, {@code to} exclusive. */
    public record Period(Instant from, Instant to) {

        public static final Period EVER = new Period(null, null);

        /** Appends {@code and <column> >= ? and <column> < ?} for the ends that are set. */
        public void appendTo(Sql sql, String column) {
            if (from != null) {
                sql.append(" and ").append(column).append(" >= ").bind(Timestamp.from(from));
            }
            if (to != null) {
                sql.append(" and ").append(column).append(" < ").bind(Timestamp.from(to));
            }
        }
    }

    private final JsonNode node;
    private final String path;
    private final Problems problems;
    private final Set<String> asked = new LinkedHashSet<>();
    private boolean failed;

    public ConditionNode(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        asked.add("type");
    }

    public String path() {
        return path;
    }

    public String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** Reports a problem with one field of this node. */
    public void problem(String field, String code, String message, Object... args) {
        failed = true;
        problems.add(path(field), code, message, args);
    }

    /** True when no problem was reported for this node. */
    public boolean ok() {
        return !failed;
    }

    public boolean has(String name) {
        asked.add(name);
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    public JsonNode raw(String name) {
        asked.add(name);
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    public String text(String name, boolean required) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) {
                problem(name, "rule.required", name + " is required", name);
            }
            return null;
        }
        if (!(v.isString() || v.isNumber() || v.isBoolean()) || v.asString().isBlank()) {
            problem(name, "rule.type", name + " must be a non-empty string", name);
            return null;
        }
        return v.asString().strip();
    }

    public String choice(String name, Set<String> allowed, boolean required) {
        String v = text(name, required);
        if (v != null && !allowed.contains(v)) {
            problem(name, "rule.choice", name + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)), name,
                    String.join(", ", new java.util.TreeSet<>(allowed)));
            return null;
        }
        return v;
    }

    public Integer integer(String name, int min, int max, boolean required) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) {
                problem(name, "rule.required", name + " is required", name);
            }
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            problem(name, "rule.range", name + " must be a whole number from " + min + " to " + max, name, min, max);
            return null;
        }
        return v.asInt();
    }

    public BigDecimal number(String name, boolean required) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) {
                problem(name, "rule.required", name + " is required", name);
            }
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isString()) {
            try {
                return new BigDecimal(v.asString().strip().replace(',', '.'));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problem(name, "rule.number", name + " must be a number", name);
        return null;
    }

    public LocalDate date(String name, boolean required) {
        String v = text(name, required);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            problem(name, "rule.date", name + " must be a date as YYYY-MM-DD", name);
            return null;
        }
    }

    public List<String> strings(String name, boolean required) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) {
                problem(name, "rule.required", name + " is required", name);
            }
            return null;
        }
        if (v.isString()) {
            return List.of(v.asString());
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!(e.isString() || e.isNumber()) || e.asString().isBlank()) {
                    out = null;
                    break;
                }
                out.add(e.asString().strip());
            }
        } else {
            out = null;
        }
        if (out == null || out.isEmpty() || out.size() > 1000) {
            problem(name, "rule.strings", name + " must be a list of 1 to 1000 non-empty strings", name);
            return null;
        }
        return out;
    }

    public List<Long> ids(String name, boolean required) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) {
                problem(name, "rule.required", name + " is required", name);
            }
            return null;
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode e : v.isArray() ? v : List.of(v)) {
            if (!e.isIntegralNumber() || !e.canConvertToLong() || e.asLong() <= 0) {
                out = null;
                break;
            }
            out.add(e.asLong());
        }
        if (out == null || out.isEmpty() || out.size() > 1000) {
            problem(name, "rule.ids", name + " must be an id or a list of 1 to 1000 ids", name);
            return null;
        }
        return out;
    }

    /**
     * Reads an optional period: {@code {"lastDays": 30}} (from the start of the day 30 days ago in the workspace's
     * time zone until now) or {@code {"from": "2026-01-01", "to": "2026-03-31"}} (whole days, either end optional).
     * Absent means "ever".
     */
    public Period period(String name, RuleContext context) {
        JsonNode v = raw(name);
        if (v == null) {
            return Period.EVER;
        }
        String p = path(name);
        if (!v.isObject()) {
            problem(name, "rule.period", "period must be an object with lastDays, or from and/or to");
            return null;
        }
        ConditionNode inner = new ConditionNode(v, p, problems);
        inner.asked.remove("type");
        Integer last = inner.integer("lastDays", 1, MAX_DAYS, false);
        LocalDate from = inner.date("from", false);
        LocalDate to = inner.date("to", false);
        inner.finish();
        if (!inner.ok()) {
            failed = true;
            return null;
        }
        if (last != null && (from != null || to != null)) {
            problem(name, "rule.period", "period takes either lastDays or from/to, not both");
            return null;
        }
        if (last == null && from == null && to == null) {
            problem(name, "rule.period", "period must have lastDays, or from and/or to");
            return null;
        }
        if (from != null && to != null && from.isAfter(to)) {
            problem(name, "rule.period", "period: from must not be after to");
            return null;
        }
        if (last != null) {
            return new Period(context.startOf(context.today().minusDays(last)), null);
        }
        return new Period(from == null ? null : context.startOf(from), to == null ? null : context.startOf(to.plusDays(1)));
    }

    /** Reports every field of the node that no getter asked for. Call after reading. */
    public void finish() {
        for (String name : node.propertyNames()) {
            if (!asked.contains(name)) {
                problem(name, "rule.unknownField", "unknown field '" + name + "'", name);
            }
        }
    }
}
