package io.orbita.tracking.internal;

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
 * Segment conditions over opens and clicks, declared here because this module owns {@code tracking_event}; the rule
 * compiler finds them in the ConditionKind registry. Only human hits count (machine hits of link scanners and privacy
 * proxies are flagged and left out). Periods are whole days in the workspace's time zone, today included.
 */
@Configuration(proxyBeanMethods = false)
class EngagementConditions {

    /** {@code {"type": "opened", "days": 30}}: opened any letter within the last N days (ever without days). */
    @Bean
    ConditionKind openedCondition() {
        return new Hits("opened", "open", false);
    }

    /** {@code {"type": "clicked", "days": 30}}: clicked a link in any letter within the last N days (ever without days). */
    @Bean
    ConditionKind clickedCondition() {
        return new Hits("clicked", "click", false);
    }

    /** {@code {"type": "not_opened", "days": 60}}: opened nothing within the last N days (contacts never mailed included). */
    @Bean
    ConditionKind notOpenedCondition() {
        return new Hits("not_opened", "open", true);
    }

    record Hits(String type, String kind, boolean negate) implements ConditionKind {

        @Override
        public Predicate read(ConditionNode node, RuleContext ctx) {
            Integer days = node.integer("days", 1, ConditionNode.MAX_DAYS, negate);
            node.finish();
            if (!node.ok()) {
                return null;
            }
            Timestamp from = days == null ? null : Timestamp.from(ctx.startOf(ctx.today().minusDays(days)));
            return sql -> {
                if (ctx.fewContacts()) {
                    // Per contact through tracking_event_contact_idx.
                    sql.append((negate ? "not " : "") + "exists (select 1 from tracking_event te where te.workspace_id = c.workspace_id"
                            + " and te.contact_id = c.id");
                } else {
                    sql.append("c.id " + (negate ? "not in" : "in") + " (select te.contact_id from tracking_event te where te.workspace_id = ")
                            .bind(ctx.workspace().value()).append(" and te.contact_id is not null");
                }
                sql.append(" and te.kind = ").bind(kind).append(" and not te.machine");
                if (from != null) {
                    sql.append(" and te.at >= ").bind(from);
                }
                sql.append(")");
            };
        }

        /**
         * Human opens and clicks re-evaluate their contacts at once ({@code EngagementRecorded}); the time passing
         * that "not opened" and every period need is the periodic refresh's.
         */
        @Override
        public Set<Source> reactsTo() {
            return EnumSet.of(Source.ENGAGEMENT);
        }
    }
}
