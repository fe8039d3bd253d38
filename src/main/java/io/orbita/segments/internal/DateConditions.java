package io.orbita.segments.internal;

import io.orbita.segments.ConditionKind;
import io.orbita.segments.ConditionNode;
import io.orbita.segments.Predicate;
import io.orbita.segments.RuleContext;
import java.time.LocalDate;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code {"type": "anniversary", "field": "birthday", "direction": "next", "days": 7}}: the yearly return of a date
 * (birthday, company founding, start of cooperation, or a custom date field) falls within the next or last N days of
 * today in the workspace's time zone; today counts in both directions. A 29 February comes back on 28 February in
 * other years.
 */
@Component
class DateConditions implements ConditionKind {

    @Override
    public String type() {
        return "anniversary";
    }

    @Override
    public java.util.Set<Source> reactsTo() {
        return java.util.Set.of(Source.CONTACT);
    }

    @Override
    public Predicate read(ConditionNode node, RuleContext context) {
        String name = node.text("field", true);
        String direction = node.choice("direction", Set.of("next", "last"), true);
        Integer days = node.integer("days", 0, 366, true);
        FieldCatalogue.Field field = name == null ? null : FieldCatalogue.find(name, context);
        if (name != null && (field == null || !field.type().equals("date") || name.equals("createdAt"))) {
            node.problem("field", field == null ? "rule.unknownField" : "rule.operator",
                    field == null ? "unknown field '" + name + "'" : "anniversary needs a date field, not '" + name + "'", name);
        }
        node.finish();
        if (!node.ok()) {
            return null;
        }
        LocalDate today = context.today();
        return sql -> {
            String a = "c";
            if (field.company()) {
                a = sql.alias("co");
                sql.append("exists (select 1 from company " + a + " where " + a + ".workspace_id = c.workspace_id and "
                        + a + ".id = c.company_id and ");
            }
            sql.append("coalesce(");
            if (direction.equals("next")) {
                // The next return on or after today: the date plus (full years completed by yesterday + 1).
                field.column().appendTo(sql, a, context);
                sql.append(" < cast(").bind(today).append(" as date) and (");
                field.column().appendTo(sql, a, context);
                sql.append(" + make_interval(years => date_part('year', age(cast(").bind(today.minusDays(1)).append(" as date), ");
                field.column().appendTo(sql, a, context);
                sql.append("))::int + 1))::date <= cast(").bind(today.plusDays(days)).append(" as date)");
            } else {
                field.column().appendTo(sql, a, context);
                sql.append(" <= cast(").bind(today).append(" as date) and (");
                field.column().appendTo(sql, a, context);
                sql.append(" + make_interval(years => date_part('year', age(cast(").bind(today).append(" as date), ");
                field.column().appendTo(sql, a, context);
                sql.append("))::int))::date >= cast(").bind(today.minusDays(days)).append(" as date)");
            }
            sql.append(", false)");
            if (field.company()) {
                sql.append(")");
            }
        };
    }
}
