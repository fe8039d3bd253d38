package io.orbita.campaigns.internal;

import io.orbita.segments.ConditionKind;
import io.orbita.segments.ConditionNode;
import io.orbita.segments.Predicate;
import io.orbita.segments.RuleContext;
import java.sql.Timestamp;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The segment condition about one campaign, declared here because this module knows which letters a campaign sent
 * ({@code campaign_recipient}); opens and clicks of those letters are read from tracking, which this module builds on.
 */
@Configuration(proxyBeanMethods = false)
class CampaignConditions {

    /**
     * {@code {"type": "campaign", "campaign": 12, "action": "received|opened|clicked", "days": 30}}: the contact got a
     * letter of the campaign / opened it / clicked in it (human hits only), within the last N days if given.
     */
    @Bean
    ConditionKind campaignCondition(JdbcClient jdbc) {
        return new ConditionKind() {
            @Override
            public String type() {
                return "campaign";
            }

            @Override
            public Predicate read(ConditionNode node, RuleContext ctx) {
                List<Long> ids = node.ids("campaign", true);
                String action = node.choice("action", Set.of("received", "opened", "clicked"), true);
                Integer days = node.integer("days", 1, ConditionNode.MAX_DAYS, false);
                node.finish();
                if (!node.ok() || ids == null || action == null) {
                    return null;
                }
                long campaign = ids.getFirst();
                boolean known = jdbc.sql("select exists (select 1 from campaign where workspace_id = ? and id = ?)")
                        .params(ctx.workspace().value(), campaign).query(Boolean.class).single();
                if (!known) {
                    node.problem("campaign", "rule.campaignUnknown", "no campaign " + campaign + " in this workspace", campaign);
                    return null;
                }
                Timestamp from = days == null ? null : Timestamp.from(ctx.startOf(ctx.today().minusDays(days)));
                boolean few = ctx.fewContacts();
                return sql -> {
                    if (few) {
                        sql.append("exists (select 1 from campaign_recipient cr");
                    } else {
                        sql.append("c.id in (select cr.contact_id from campaign_recipient cr");
                    }
                    if (!action.equals("received")) {
                        sql.append(" join tracking_event te on te.workspace_id = cr.workspace_id and te.message_id = cr.message_id and te.kind = ")
                                .bind(action.equals("opened") ? "open" : "click").append(" and not te.machine");
                        if (from != null) {
                            sql.append(" and te.at >= ").bind(from);
                        }
                    }
                    if (few) {
                        sql.append(" where cr.workspace_id = c.workspace_id and cr.contact_id = c.id");
                    } else {
                        sql.append(" where cr.workspace_id = ").bind(ctx.workspace().value());
                    }
                    sql.append(" and cr.campaign_id = ").bind(campaign).append(" and cr.message_id is not null");
                    if (action.equals("received") && from != null) {
                        sql.append(" and cr.queued_at >= ").bind(from);
                    }
                    sql.append(")");
                };
            }

            /** Opens and clicks of the campaign's letters at once; a new recipient with the periodic refresh. */
            @Override
            public Set<Source> reactsTo() {
                return EnumSet.of(Source.ENGAGEMENT);
            }
        };
    }
}
