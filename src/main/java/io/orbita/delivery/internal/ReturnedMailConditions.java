package io.orbita.delivery.internal;

import io.orbita.segments.ConditionKind;
import io.orbita.segments.ConditionNode;
import io.orbita.segments.Predicate;
import io.orbita.segments.RuleContext;
import java.sql.Timestamp;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Segment conditions over what came back from sent mail, declared here because this module owns the outbox, the
 * inbound messages and the suppression list; the rule compiler finds them in the ConditionKind registry. Periods are
 * whole days in the workspace's time zone, today included; without {@code days} any time counts.
 */
@Configuration(proxyBeanMethods = false)
class ReturnedMailConditions {

    /** {@code {"type": "replied", "days": 30}}: the contact answered one of our letters (a reply, not an auto-reply). */
    @Bean
    ConditionKind repliedCondition() {
        return new Returned("replied");
    }

    /**
     * {@code {"type": "bounced", "days": 90}}: a letter to the contact bounced, or the contact's address is suppressed
     * for bouncing (a hard bounce, or too many soft ones).
     */
    @Bean
    ConditionKind bouncedCondition() {
        return new Returned("bounced");
    }

    record Returned(String type) implements ConditionKind {

        @Override
        public Predicate read(ConditionNode node, RuleContext ctx) {
            Integer days = node.integer("days", 1, ConditionNode.MAX_DAYS, false);
            node.finish();
            if (!node.ok()) {
                return null;
            }
            Timestamp from = days == null ? null : Timestamp.from(ctx.startOf(ctx.today().minusDays(days)));
            boolean few = ctx.fewContacts();
            if (type.equals("replied")) {
                return sql -> {
                    sql.append(few ? "exists (select 1 from inbound_message im where im.workspace_id = c.workspace_id and im.contact_id = c.id"
                                    : "c.id in (select im.contact_id from inbound_message im where im.contact_id is not null and im.workspace_id = ");
                    if (!few) {
                        sql.bind(ctx.workspace().value());
                    }
                    sql.append(" and im.kind = 'reply'");
                    if (from != null) {
                        sql.append(" and im.received_at >= ").bind(from);
                    }
                    sql.append(")");
                };
            }
            return sql -> {
                sql.append("(");
                if (few) {
                    sql.append("exists (select 1 from outbox_message om where om.workspace_id = c.workspace_id and om.contact_id = c.id");
                } else {
                    sql.append("c.id in (select om.contact_id from outbox_message om where om.contact_id is not null and om.workspace_id = ")
                            .bind(ctx.workspace().value());
                }
                sql.append(" and om.state = 'bounced'");
                if (from != null) {
                    sql.append(" and om.updated_at >= ").bind(from);
                }
                sql.append(") or ");
                if (few) {
                    sql.append("exists (select 1 from suppression su where su.workspace_id = c.workspace_id and su.address = lower(c.email)");
                } else {
                    sql.append("lower(c.email) in (select su.address from suppression su where su.workspace_id = ").bind(ctx.workspace().value());
                }
                sql.append(" and su.reason in ('hard_bounce', 'soft_bounce_limit')");
                if (from != null) {
                    sql.append(" and su.created_at >= ").bind(from);
                }
                sql.append("))");
            };
        }

        /**
         * Replies, bounces and suppression list changes re-evaluate their contacts at once ({@code ReturnedMailChanged});
         * a new address of the contact may be suppressed or not ("bounced" compares addresses), so contact changes too.
         */
        @Override
        public Set<Source> reactsTo() {
            return EnumSet.of(Source.RETURNED_MAIL, Source.CONTACT);
        }
    }
}
