package io.orbita.segments.internal;

import io.orbita.segments.ConditionKind;
import io.orbita.segments.ConditionNode;
import io.orbita.segments.Predicate;
import io.orbita.segments.RuleContext;
import io.orbita.segments.Sql;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code {"type": "field", "field": "contactType", "op": "eq", "value": "partner"}}: a contact or company field
 * (standard or custom) compared by an operator its type allows. Negative operators (neq, not_in, not_contains,
 * is_not_set, has_none) are the exact complement of their positive twin, so contacts with an empty field or no company
 * match "is not X".
 */
@Component
class FieldConditions implements ConditionKind {

    /** A test of the field on a row whose alias is given. */
    private interface Test {
        void appendTo(Sql sql, String alias);
    }

    private static final Map<String, String> NEGATIVE = Map.of("neq", "eq", "not_in", "in", "not_contains", "contains",
            "is_not_set", "is_set", "has_none", "has_any");

    @Override
    public String type() {
        return "field";
    }

    @Override
    public java.util.Set<Source> reactsTo() {
        return java.util.Set.of(Source.CONTACT);
    }

    @Override
    public Predicate read(ConditionNode node, RuleContext context) {
        String name = node.text("field", true);
        String op = node.text("op", true);
        FieldCatalogue.Field field = name == null ? null : FieldCatalogue.find(name, context);
        if (name != null && field == null) {
            node.problem("field", "rule.unknownField", "unknown field '" + name + "'", name);
        }
        if (field != null && op != null && !FieldCatalogue.OPERATORS.get(field.type()).contains(op)) {
            node.problem("op", "rule.operator", "operator '" + op + "' does not apply to " + field.type() + " field '" + name + "'",
                    op, field.type(), name);
            op = null;
        }
        if (field == null || op == null) {
            node.raw("value");
            node.raw("values");
            node.raw("days");
            node.raw("min");
            node.raw("max");
            node.finish();
            return null;
        }
        String positive = NEGATIVE.getOrDefault(op, op);
        Test test = positive(node, field, positive, context);
        node.finish();
        if (test == null || !node.ok()) {
            return null;
        }
        boolean negate = NEGATIVE.containsKey(op);
        // A null test (empty field) means "no": a negative operator is written as not coalesce(positive, false) so
        // empty fields match "is not X"; a positive one stays bare so PostgreSQL can use an index on the column
        // (groups under "not" make nulls false at their own boundary, see RuleCompiler).
        return sql -> {
            if (field.company()) {
                String co = sql.alias("co");
                sql.append(negate ? "not " : "").append("exists (select 1 from company " + co + " where " + co
                        + ".workspace_id = c.workspace_id and " + co + ".id = c.company_id and ");
                test.appendTo(sql, co);
                sql.append(")");
            } else if (negate) {
                sql.append("not coalesce(");
                test.appendTo(sql, "c");
                sql.append(", false)");
            } else {
                sql.append("(");
                test.appendTo(sql, "c");
                sql.append(")");
            }
        };
    }

    /** The positive test, written against the alias of the row holding the field. */
    private Test positive(ConditionNode node, FieldCatalogue.Field field, String op, RuleContext ctx) {
        FieldCatalogue.Column col = field.column();
        String type = field.type();
        switch (op) {
            case "is_set":
                if (type.equals("tags")) {
                    return (sql, a) -> sql.append("cardinality(" + a + ".tags) > 0");
                }
                return (sql, a) -> {
                    col.appendTo(sql, a, ctx);
                    sql.append(type.equals("text") ? " <> ''" : " is not null");
                };
            case "is_true", "is_false":
                return (sql, a) -> {
                    col.appendTo(sql, a, ctx);
                    sql.append(op.equals("is_true") ? " = true" : " = false");
                };
            case "has", "has_all", "has_any": {
                List<String> tags = node.strings(op.equals("has") ? "value" : "values", true);
                if (op.equals("has")) {
                    node.raw("values");
                } else {
                    node.raw("value");
                }
                if (tags == null) {
                    return null;
                }
                String[] array = tags.toArray(String[]::new);
                return (sql, a) -> sql.append(a + ".tags " + (op.equals("has_any") ? "&&" : "@>") + " cast(").bind(array).append(" as text[])");
            }
            default:
                break;
        }
        if (op.equals("in")) {
            List<String> values = node.strings("values", true);
            if (values == null) {
                return null;
            }
            if (type.equals("id")) {
                Long[] ids = new Long[values.size()];
                for (int i = 0; i < ids.length; i++) {
                    try {
                        ids[i] = Long.parseLong(values.get(i));
                    } catch (NumberFormatException e) {
                        node.problem("values", "rule.ids", "values must be ids");
                        return null;
                    }
                }
                return (sql, a) -> {
                    col.appendTo(sql, a, ctx);
                    sql.append(" = any(cast(").bind(ids).append(" as bigint[]))");
                };
            }
            List<String> checked = values.stream().map(v -> option(node, field, "values", v)).toList();
            if (checked.contains(null)) {
                return null;
            }
            String[] lower = checked.stream().map(v -> type.equals("choice") ? v : v.toLowerCase(Locale.ROOT)).toArray(String[]::new);
            return (sql, a) -> {
                if (type.equals("choice")) {
                    col.appendTo(sql, a, ctx);
                } else {
                    sql.append("lower(");
                    col.appendTo(sql, a, ctx);
                    sql.append(")");
                }
                sql.append(" = any(cast(").bind(lower).append(" as text[]))");
            };
        }
        switch (type) {
            case "text", "choice": {
                String v = node.text("value", true);
                if (v == null) {
                    return null;
                }
                String value = option(node, field, "value", v);
                if (value == null) {
                    return null;
                }
                String l = value.toLowerCase(Locale.ROOT);
                return switch (op) {
                    case "eq" -> type.equals("choice")
                            ? (sql, a) -> {
                                col.appendTo(sql, a, ctx);
                                sql.append(" = ").bind(value);
                            }
                            : (sql, a) -> {
                                sql.append("lower(");
                                col.appendTo(sql, a, ctx);
                                sql.append(") = ").bind(l);
                            };
                    case "contains" -> (sql, a) -> {
                        sql.append("strpos(lower(");
                        col.appendTo(sql, a, ctx);
                        sql.append("), ").bind(l).append(") > 0");
                    };
                    case "starts_with" -> (sql, a) -> {
                        sql.append("left(lower(");
                        col.appendTo(sql, a, ctx);
                        sql.append("), ").bind(l.length()).append(") = ").bind(l);
                    };
                    default -> null;
                };
            }
            case "id": {
                List<Long> ids = node.ids("value", true);
                if (ids == null) {
                    return null;
                }
                long id = ids.getFirst();
                return (sql, a) -> {
                    col.appendTo(sql, a, ctx);
                    sql.append(" = ").bind(id);
                };
            }
            case "number": {
                if (op.equals("between")) {
                    BigDecimal min = node.number("min", true);
                    BigDecimal max = node.number("max", true);
                    if (min == null || max == null) {
                        return null;
                    }
                    if (min.compareTo(max) > 0) {
                        node.problem("max", "rule.range", "max must not be less than min");
                        return null;
                    }
                    return (sql, a) -> {
                        col.appendTo(sql, a, ctx);
                        sql.append(" between ").bind(min).append(" and ").bind(max);
                    };
                }
                BigDecimal v = node.number("value", true);
                if (v == null) {
                    return null;
                }
                String cmp = Map.of("eq", "=", "gt", ">", "gte", ">=", "lt", "<", "lte", "<=").get(op);
                return (sql, a) -> {
                    col.appendTo(sql, a, ctx);
                    sql.append(" " + cmp + " ").bind(v);
                };
            }
            case "date":
                return date(node, col, op, ctx);
            default:
                return null;
        }
    }

    private Test date(ConditionNode node, FieldCatalogue.Column col, String op, RuleContext ctx) {
        LocalDate today = ctx.today();
        switch (op) {
            case "within_last_days", "within_next_days", "more_than_days_ago": {
                Integer days = node.integer("days", 0, ConditionNode.MAX_DAYS, true);
                if (days == null) {
                    return null;
                }
                LocalDate lo = op.equals("within_next_days") ? today : today.minusDays(days);
                LocalDate hi = op.equals("within_next_days") ? today.plusDays(days) : today;
                if (op.equals("more_than_days_ago")) {
                    return (sql, a) -> {
                        col.appendTo(sql, a, ctx);
                        sql.append(" < ").bind(today.minusDays(days));
                    };
                }
                return (sql, a) -> {
                    col.appendTo(sql, a, ctx);
                    sql.append(" between ").bind(lo).append(" and ").bind(hi);
                };
            }
            case "between": {
                LocalDate min = node.date("min", true);
                LocalDate max = node.date("max", true);
                if (min == null || max == null) {
                    return null;
                }
                if (min.isAfter(max)) {
                    node.problem("max", "rule.range", "max must not be before min");
                    return null;
                }
                return (sql, a) -> {
                    col.appendTo(sql, a, ctx);
                    sql.append(" between ").bind(min).append(" and ").bind(max);
                };
            }
            default: {
                LocalDate v = node.date("value", true);
                if (v == null) {
                    return null;
                }
                String cmp = Map.of("on", "=", "before", "<", "after", ">").get(op);
                return (sql, a) -> {
                    col.appendTo(sql, a, ctx);
                    sql.append(" " + cmp + " ").bind(v);
                };
            }
        }
    }

    /** A value of a choice field must be one of its options (spelt as defined); other types take any value. */
    private static String option(ConditionNode node, FieldCatalogue.Field field, String name, String value) {
        if (!field.type().equals("choice")) {
            return value;
        }
        for (String o : field.options()) {
            if (o.equalsIgnoreCase(value)) {
                return o;
            }
        }
        node.problem(name, "rule.choice", field.name() + " must be one of " + String.join(", ", field.options()),
                field.name(), String.join(", ", field.options()));
        return null;
    }

}
