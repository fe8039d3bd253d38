package io.orbita.segments.internal;

import io.orbita.segments.ConditionKind;
import io.orbita.segments.ConditionKind.Source;
import io.orbita.segments.ConditionNode;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/** Contracts, site and API behaviour from the event log, and abandoned carts. */
@Configuration(proxyBeanMethods = false)
class BehaviourConditions {

    /** How many of the latest occurrences contact_event_summary keeps per contact and event type. */
    static final int RECENT = 10;

    /**
     * {@code {"type": "contract", "state": "renews_within|expired|active", "days": 30, "plans": ["Pro"]}}: a contract of
     * the contact or of its company. Renewing: active or trial with a renewal date within the next N days. Expired:
     * status expired, or an active/trial contract whose renewal date has passed.
     */
    @Bean
    ConditionKind contractCondition() {
        return new PurchaseConditions.Kind("contract", Set.of(Source.CONTACT), (node, ctx) -> {
            String state = node.choice("state", Set.of("renews_within", "expired", "active"), true);
            Integer days = "renews_within".equals(state) ? node.integer("days", 0, ConditionNode.MAX_DAYS, true) : null;
            if (!"renews_within".equals(state)) {
                node.raw("days");
            }
            List<String> plans = node.strings("plans", false);
            node.finish();
            if (!node.ok()) {
                return null;
            }
            return sql -> {
                sql.append("(");
                for (String owner : List.of("k.contact_id = c.id", "k.company_id = c.company_id")) {
                    if (!owner.startsWith("k.contact")) {
                        sql.append(" or ");
                    }
                    sql.append("exists (select 1 from contract k where k.workspace_id = c.workspace_id and " + owner);
                    switch (state) {
                        case "renews_within" -> sql.append(" and k.status in ('trial', 'active') and k.renews_on between ")
                                .bind(ctx.today()).append(" and ").bind(ctx.today().plusDays(days));
                        case "expired" -> sql.append(" and (k.status = 'expired' or k.status in ('trial', 'active') and k.renews_on < ")
                                .bind(ctx.today()).append(")");
                        default -> sql.append(" and k.status in ('trial', 'active') and (k.renews_on is null or k.renews_on >= ")
                                .bind(ctx.today()).append(")");
                    }
                    if (plans != null) {
                        sql.append(" and k.plan = any(cast(").bind(plans.toArray(String[]::new)).append(" as text[]))");
                    }
                    sql.append(")");
                }
                sql.append(")");
            };
        });
    }

    /**
     * {@code {"type": "event", "event": "page_view", "properties": {"path": "/pricing"}, "op": "at_least|at_most|none",
     * "count": 3, "period": {"lastDays": 30}}}: how many times the contact performed the event (with properties
     * containing the given ones) within the period. "at_most" includes contacts who never did it; "none" is "has not".
     */
    @Bean
    ConditionKind eventCondition() {
        return new PurchaseConditions.Kind("event", Set.of(Source.EVENTS), (node, ctx) -> {
            String event = node.text("event", true);
            JsonNode properties = node.raw("properties");
            if (properties != null && !properties.isObject()) {
                node.problem("properties", "rule.properties", "properties must be an object of values the event must have");
            }
            String op = node.choice("op", Set.of("at_least", "at_most", "none"), false);
            String how = op == null ? "at_least" : op;
            Integer count = how.equals("none") ? null : node.integer("count", how.equals("at_most") ? 0 : 1, 1_000_000, false);
            if (how.equals("none")) {
                node.raw("count");
            }
            ConditionNode.Period period = node.period("period", ctx);
            node.finish();
            if (!node.ok()) {
                return null;
            }
            int n = count == null ? (how.equals("at_most") ? 0 : 1) : count;
            String props = properties == null || properties.isEmpty() ? null : properties.toString();
            // Without property filters, up to the last RECENT occurrences and a period open towards now, the per-contact
            // summary answers: "at least n since T" is recent[n] >= T, "at most n" is its negation for n + 1.
            int nth = how.equals("at_least") ? n : how.equals("at_most") ? n + 1 : 1;
            if (props == null && period.to() == null && nth >= 1 && nth <= RECENT) {
                Timestamp from = period.from() == null ? null : Timestamp.from(period.from());
                return sql -> PurchaseConditions.aggregate(sql, ctx, !how.equals("at_least"), "contact_event_summary", "es", s -> {
                    s.append(" and es.type = ").bind(event);
                    if (from == null) {
                        s.append(" and es.total >= ").bind(nth);
                    } else if (nth == 1) {
                        s.append(" and es.last_at >= ").bind(from);
                    } else {
                        s.append(" and es.recent[").bind(nth).append("] >= ").bind(from);
                    }
                });
            }
            if (ctx.fewContacts()) {
                // Per contact through activity_event_contact_idx rather than aggregating everyone's events.
                return sql -> {
                    sql.append("(select count(*) from activity_event e where e.workspace_id = c.workspace_id and e.contact_id = c.id"
                            + " and e.type = ").bind(event);
                    period.appendTo(sql, "e.occurred_at");
                    if (props != null) {
                        sql.append(" and e.properties @> cast(").bind(props).append(" as jsonb)");
                    }
                    sql.append(switch (how) {
                        case "at_least" -> ") >= ";
                        case "at_most" -> ") <= ";
                        default -> ") = ";
                    }).bind(how.equals("none") ? 0 : n);
                };
            }
            return sql -> {
                sql.append(how.equals("at_least") ? "c.id in (" : "c.id not in (");
                sql.append("select e.contact_id from activity_event e where e.workspace_id = ").bind(ctx.workspace().value())
                        .append(" and e.type = ").bind(event).append(" and e.contact_id is not null");
                period.appendTo(sql, "e.occurred_at");
                if (props != null) {
                    sql.append(" and e.properties @> cast(").bind(props).append(" as jsonb)");
                }
                if (how.equals("at_least") && n > 1) {
                    sql.append(" group by e.contact_id having count(*) >= ").bind(n);
                } else if (how.equals("at_most")) {
                    // Everyone except those who did it more often than allowed.
                    sql.append(" group by e.contact_id having count(*) > ").bind(n);
                }
                sql.append(")");
            };
        });
    }

    /**
     * {@code {"type": "abandoned_cart", "idleHours": 2}}: a non-empty cart not touched for longer than the given hours
     * (default: orbita.commerce.cart-abandoned-after, one hour). Carts are cleared by orders.
     */
    @Bean
    ConditionKind abandonedCartCondition(@Value("${orbita.commerce.cart-abandoned-after:PT1H}") Duration abandonedAfter) {
        return new PurchaseConditions.Kind("abandoned_cart", Set.of(Source.EVENTS, Source.ORDERS), (node, ctx) -> {
            Integer hours = node.integer("idleHours", 0, 24 * 365, false);
            node.finish();
            if (!node.ok()) {
                return null;
            }
            Timestamp before = Timestamp.from(ctx.now().minus(hours == null ? abandonedAfter : Duration.ofHours(hours)));
            return sql -> sql.append("exists (select 1 from cart ct where ct.workspace_id = c.workspace_id and ct.contact_id = c.id"
                    + " and jsonb_array_length(ct.lines) > 0 and ct.updated_at < ").bind(before).append(")");
        });
    }
}
