package io.orbita.segments.internal;

import io.orbita.segments.ConditionKind;
import io.orbita.segments.ConditionKind.Source;
import io.orbita.segments.ConditionNode;
import io.orbita.segments.Predicate;
import io.orbita.segments.RuleContext;
import io.orbita.segments.Sql;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Purchase conditions. Only orders that count as purchases (not cancelled, not refunded) are read, through the
 * partial index {@code customer_order_purchase_idx}. Aggregates are computed once for all buyers and joined by
 * contact id (a hash semi-join), rather than once per contact.
 */
@Configuration(proxyBeanMethods = false)
class PurchaseConditions {

    static final String COUNTED = "o.status not in ('cancelled', 'refunded')";

    static final Map<String, String> COMPARE = Map.of("eq", "=", "gt", ">", "gte", ">=", "lt", "<", "lte", "<=");

    /** {@code {"type": "bought", "products": [ids], "categories": ["..."], "period": {...}}}: any purchase if neither. */
    @Bean
    ConditionKind boughtCondition() {
        return new Kind("bought", Set.of(Source.ORDERS), (node, ctx) -> {
            List<Long> products = node.ids("products", false);
            List<String> categories = node.strings("categories", false);
            ConditionNode.Period period = node.period("period", ctx);
            node.finish();
            if (!node.ok()) {
                return null;
            }
            if (products == null && period.to() == null) {
                // The per-contact aggregates answer "bought (from these categories) since T / ever" without reading orders.
                java.sql.Timestamp from = period.from() == null ? null : java.sql.Timestamp.from(period.from());
                if (categories == null) {
                    return sql -> aggregate(sql, ctx, false, SUMMARY, "ps", s -> {
                        if (from != null) {
                            s.append(" and ps.last_at >= ").bind(from);
                        }
                    });
                }
                return sql -> aggregate(sql, ctx, false, "contact_category_purchase", "cp", s -> {
                    s.append(" and cp.category = any(cast(").bind(categories.toArray(String[]::new)).append(" as text[]))");
                    if (from != null) {
                        s.append(" and cp.last_at >= ").bind(from);
                    }
                });
            }
            return sql -> {
                sql.append("c.id in (select o.contact_id from customer_order o");
                if (products != null || categories != null) {
                    sql.append(" join order_line l on l.workspace_id = o.workspace_id and l.order_id = o.id");
                }
                if (categories != null) {
                    sql.append(" join product p on p.workspace_id = l.workspace_id and p.id = l.product_id");
                }
                sql.append(" where o.workspace_id = ").bind(ctx.workspace().value())
                        .append(" and o.contact_id is not null and " + COUNTED);
                period.appendTo(sql, "o.placed_at");
                if (products != null) {
                    sql.append(" and l.product_id = any(cast(").bind(products.toArray(Long[]::new)).append(" as bigint[]))");
                }
                if (categories != null) {
                    sql.append(" and p.category = any(cast(").bind(categories.toArray(String[]::new)).append(" as text[]))");
                }
                sql.append(")");
            };
        });
    }

    /**
     * {@code {"type": "orders", "measure": "count|total|average", "op": "gte", "value": 3, "period": {...}}}. A contact
     * without orders has count 0 and total 0 (so "fewer than 2 orders" includes them) and no average.
     */
    @Bean
    ConditionKind ordersCondition() {
        return new Kind("orders", Set.of(Source.ORDERS), (node, ctx) -> {
            String measure = node.choice("measure", Set.of("count", "total", "average"), true);
            Comparison cmp = Comparison.read(node);
            ConditionNode.Period period = node.period("period", ctx);
            node.finish();
            if (!node.ok() || cmp == null) {
                return null;
            }
            String aggregate = switch (measure) {
                case "count" -> "count(*)";
                case "total" -> "sum(o.total)";
                default -> "avg(o.total)";
            };
            boolean zeroMatches = !measure.equals("average") && cmp.matches(BigDecimal.ZERO);
            if (period.from() == null && period.to() == null) {
                // All-time figures are in the purchase summary; contacts without a row have count and total 0.
                String figure = switch (measure) {
                    case "count" -> "ps.orders";
                    case "total" -> "ps.revenue";
                    default -> "(ps.revenue / ps.orders)";
                };
                return sql -> aggregate(sql, ctx, zeroMatches, SUMMARY, "ps", s -> {
                    s.append(zeroMatches ? " and not (" : " and (");
                    cmp.appendTo(s, figure);
                    s.append(")");
                });
            }
            if (ctx.fewContacts()) {
                return sql -> {
                    sql.append("(select " + (measure.equals("total") ? "coalesce(sum(o.total), 0)" : aggregate)
                            + " from customer_order o where o.workspace_id = c.workspace_id and o.contact_id = c.id and " + COUNTED);
                    period.appendTo(sql, "o.placed_at");
                    sql.append(")");
                    cmp.appendTo(sql, "");
                };
            }
            return sql -> {
                sql.append(zeroMatches ? "c.id not in (" : "c.id in (");
                sql.append("select o.contact_id from customer_order o where o.workspace_id = ").bind(ctx.workspace().value())
                        .append(" and o.contact_id is not null and " + COUNTED);
                period.appendTo(sql, "o.placed_at");
                sql.append(" group by o.contact_id having ");
                if (zeroMatches) {
                    // The complement: buyers whose aggregate fails; everyone else (non-buyers too) matches.
                    sql.append("not (");
                }
                cmp.appendTo(sql, aggregate);
                if (zeroMatches) {
                    sql.append(")");
                }
                sql.append(")");
            };
        });
    }

    /** {@code {"type": "last_purchase", "op": "gt", "value": 90}}: whole days since the last purchase; non-buyers never match. */
    @Bean
    ConditionKind lastPurchaseCondition() {
        return new Kind("last_purchase", Set.of(Source.ORDERS), (node, ctx) -> {
            Comparison cmp = Comparison.read(node);
            node.finish();
            if (!node.ok() || cmp == null) {
                return null;
            }
            return sql -> aggregate(sql, ctx, false, SUMMARY, "ps", s -> {
                s.append(" and ");
                cmp.appendTo(s, null, x -> x.append("(cast(").bind(ctx.today()).append(" as date) - (ps.last_at at time zone ")
                        .bind(ctx.zone().getId()).append(")::date)"));
            });
        });
    }

    /**
     * {@code {"type": "activity", "state": "potential|active|former"}}: no purchase yet; a purchase within the
     * workspace's purchase cycle (default 180 days); purchases before but none within the cycle.
     */
    @Bean
    ConditionKind activityCondition() {
        return new Kind("activity", Set.of(Source.ORDERS), (node, ctx) -> {
            String state = node.choice("state", Set.of("potential", "active", "former"), true);
            node.finish();
            if (!node.ok()) {
                return null;
            }
            var since = java.sql.Timestamp.from(ctx.startOf(ctx.today().minusDays(ctx.purchaseCycleDays())));
            return sql -> aggregate(sql, ctx, state.equals("potential"), SUMMARY, "ps", s -> {
                switch (state) {
                    case "potential" -> { }
                    case "active" -> s.append(" and ps.last_at >= ").bind(since);
                    default -> s.append(" and ps.last_at < ").bind(since);
                }
            });
        });
    }

    /**
     * {@code {"type": "rfm", "group": "champions"}} or {@code {"type": "rfm", "score": "recency", "op": "gte", "value": 4}}:
     * recency (last purchase), frequency (number of purchases) and monetary (sum) scores from 1 to 5 in quintiles of
     * the workspace's buyers (5 is best; ties share a score). Groups split the recency/frequency grid.
     */
    @Bean
    ConditionKind rfmCondition() {
        return new Kind("rfm", Set.of(), (node, ctx) -> {
            String group = node.choice("group", RFM_GROUPS.keySet(), false);
            String score = group != null ? null : node.choice("score", Set.of("recency", "frequency", "monetary"), true);
            Comparison cmp = group != null ? null : Comparison.read(node);
            if (group != null) {
                node.raw("score");
                node.raw("op");
                node.raw("value");
            }
            node.finish();
            if (!node.ok() || (group == null && cmp == null)) {
                return null;
            }
            if (cmp != null && !(cmp.value() == null || cmp.value().compareTo(BigDecimal.ONE) >= 0 && cmp.value().compareTo(BigDecimal.valueOf(5)) <= 0)) {
                node.problem("value", "rule.range", "an RFM score is from 1 to 5", 1, 5);
                return null;
            }
            // The scores are kept in the purchase summary (recomputed by the periodic refresh, see Aggregates#rescore).
            return sql -> aggregate(sql, ctx, false, SUMMARY, "s", x -> {
                x.append(" and ");
                if (group != null) {
                    x.append(RFM_GROUPS.get(group));
                } else {
                    cmp.appendTo(x, "s." + score.charAt(0));
                }
            });
        });
    }

    /** The recency/frequency grid of the classic RFM map: every buyer falls in exactly one group. */
    static final Map<String, String> RFM_GROUPS = Map.of(
            "champions", "s.r >= 4 and s.f >= 4",
            "loyal", "s.r >= 3 and s.f >= 3 and not (s.r >= 4 and s.f >= 4)",
            "promising", "s.r >= 4 and s.f <= 2",
            "needs_attention", "s.r = 3 and s.f <= 2",
            "at_risk", "s.r <= 2 and s.f >= 3",
            "hibernating", "s.r <= 2 and s.f <= 2");

    /** op + value, or between + min/max, over a number. */
    record Comparison(String op, BigDecimal value, BigDecimal min, BigDecimal max) {

        static Comparison read(ConditionNode node) {
            String op = node.choice("op", Set.of("eq", "gt", "gte", "lt", "lte", "between"), true);
            if (op == null) {
                node.raw("value");
                node.raw("min");
                node.raw("max");
                return null;
            }
            if (op.equals("between")) {
                BigDecimal min = node.number("min", true);
                BigDecimal max = node.number("max", true);
                if (min != null && max != null && min.compareTo(max) > 0) {
                    node.problem("max", "rule.range", "max must not be less than min");
                    return null;
                }
                return min == null || max == null ? null : new Comparison(op, null, min, max);
            }
            BigDecimal value = node.number("value", true);
            if (value != null && value.signum() < 0) {
                node.problem("value", "rule.range", "value must not be negative");
                return null;
            }
            return value == null ? null : new Comparison(op, value, null, null);
        }

        boolean matches(BigDecimal x) {
            if (op.equals("between")) {
                return x.compareTo(min) >= 0 && x.compareTo(max) <= 0;
            }
            int c = x.compareTo(value);
            return switch (op) {
                case "eq" -> c == 0;
                case "gt" -> c > 0;
                case "gte" -> c >= 0;
                case "lt" -> c < 0;
                default -> c <= 0;
            };
        }

        void appendTo(Sql sql, String expression) {
            appendTo(sql, expression, null);
        }

        void appendTo(Sql sql, String expression, java.util.function.Consumer<Sql> writer) {
            java.util.function.Consumer<Sql> left = writer != null ? writer : s -> s.append(expression);
            left.accept(sql);
            if (op.equals("between")) {
                sql.append(" between ").bind(min).append(" and ").bind(max);
            } else {
                sql.append(" " + COMPARE.get(op) + " ").bind(value);
            }
        }
    }

    /**
     * "The contact has a row in this per-contact aggregate table matching the filter" (or has none, negated): as a
     * semi-join over all contacts for counts and full refreshes, as a lookup by the contact's key for a few contacts.
     * {@code filter} appends {@code and ...} clauses about the alias.
     */
    static void aggregate(Sql sql, RuleContext ctx, boolean negate, String table, String alias, java.util.function.Consumer<Sql> filter) {
        if (ctx.fewContacts()) {
            sql.append((negate ? "not " : "") + "exists (select 1 from " + table + " " + alias + " where " + alias
                    + ".workspace_id = c.workspace_id and " + alias + ".contact_id = c.id");
        } else {
            sql.append("c.id " + (negate ? "not in" : "in") + " (select " + alias + ".contact_id from " + table + " " + alias
                    + " where " + alias + ".workspace_id = ").bind(ctx.workspace().value());
        }
        filter.accept(sql);
        sql.append(")");
    }

    static final String SUMMARY = "contact_purchase_summary";

    /** A condition kind from a type name and a reader. */
    record Kind(String type, Set<Source> reactsTo, java.util.function.BiFunction<ConditionNode, RuleContext, Predicate> reader)
            implements ConditionKind {
        @Override
        public Predicate read(ConditionNode node, RuleContext context) {
            return reader.apply(node, context);
        }
    }
}
