package io.orbita.campaigns.internal;

import io.orbita.campaigns.AbTest;
import io.orbita.campaigns.Campaign;
import io.orbita.campaigns.Campaigns;
import io.orbita.content.Template;
import io.orbita.content.Templates;
import io.orbita.delivery.Outbox;
import io.orbita.delivery.Suppressions;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.tracking.Preferences;
import io.orbita.workspace.Members;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends campaigns. A node claims one due campaign with a lease ({@code FOR UPDATE SKIP LOCKED}); the first claim fixes
 * the recipient list (one set-based insert from segment membership, then the skip reasons); then recipients are queued
 * into the outbox batch by batch in contact order. Each letter carries the idempotency key
 * {@code campaign:<id>:<contact>}, so a node that dies between queueing and recording cannot send twice: the next
 * claimer gets the same outbox message back. The state is read before every batch, so a pause stops at the next
 * batch and a resume goes on from the first recipient without a message.
 */
@Component
public class CampaignRunner {

    static final int CHUNK = 10_000;
    private static final Logger log = LoggerFactory.getLogger(CampaignRunner.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Campaigns campaigns;
    private final Outbox outbox;
    private final Suppressions suppressions;
    private final Preferences preferences;
    private final Members members;
    private final Templates templates;
    private final io.orbita.campaigns.CampaignReports reports;
    private final int batch;
    private final Duration lease;

    CampaignRunner(JdbcClient jdbc, TransactionTemplate tx, Clock clock, Campaigns campaigns, Outbox outbox,
                   Suppressions suppressions, Preferences preferences, Members members, Templates templates,
                   io.orbita.campaigns.CampaignReports reports, @Value("${orbita.campaigns.batch:1000}") int batch,
                   @Value("${orbita.campaigns.lease:PT2M}") Duration lease) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.campaigns = campaigns;
        this.outbox = outbox;
        this.suppressions = suppressions;
        this.preferences = preferences;
        this.members = members;
        this.templates = templates;
        this.reports = reports;
        this.batch = batch;
        this.lease = lease;
    }

    record Claimed(WorkspaceId ws, long id) {
    }

    @Scheduled(fixedDelayString = "${orbita.campaigns.poll:500ms}")
    void poll() {
        Optional<Claimed> c;
        while ((c = claim()).isPresent()) {
            try {
                run(c.get());
            } catch (RuntimeException e) {
                // The lease runs out and another poll retries from the recorded position.
                log.warn("Campaign {} of workspace {} stopped: {}", c.get().id(), c.get().ws(), e.toString());
                return;
            }
        }
    }

    /** Claims a due scheduled campaign, or a sending one whose lease is free (a restart, a resume, a dead node). */
    Optional<Claimed> claim() {
        Instant now = clock.instant();
        return tx.execute(s -> jdbc.sql("""
                        update campaign c set state = 'sending', locked_until = ?
                        from (select workspace_id, id from campaign
                              where ((state = 'scheduled' and scheduled_at <= ?)
                                     or state = 'sending') and (locked_until is null or locked_until < ?)
                              order by scheduled_at limit 1 for update skip locked) next
                        where c.workspace_id = next.workspace_id and c.id = next.id
                        returning c.workspace_id, c.id""")
                .params(Timestamp.from(now.plus(lease)), Timestamp.from(now), Timestamp.from(now))
                .query((rs, n) -> new Claimed(WorkspaceId.of(rs.getLong(1)), rs.getLong(2))).optional());
    }

    void run(Claimed c) {
        Campaign campaign = campaigns.get(c.ws(), c.id());
        if (campaign.startedAt() == null) {
            fixRecipients(c.ws(), campaign);
            campaign = campaigns.get(c.ws(), c.id());
        }
        templates.get(c.ws(), campaign.templateId()); // still there (a deleted template stops the run)
        Map<Long, Optional<Members.Member>> managers = new HashMap<>();
        Long author = jdbc.sql("select created_by from campaign where workspace_id = ? and id = ?")
                .params(c.ws().value(), c.id()).query(Long.class).optional().orElse(null);
        Optional<Members.Member> authorMember = author == null ? Optional.empty() : members.find(c.ws(), author);
        Schedule schedule = schedule(c.ws(), campaign);
        // The position in contact order: the pending index still holds the entries of rows just queued until a vacuum,
        // so starting each batch from the last contact (not from the start) keeps a batch's read from growing.
        long after = 0;
        while (true) {
            String state = jdbc.sql("select state from campaign where workspace_id = ? and id = ?")
                    .params(c.ws().value(), c.id()).query(String.class).optional().orElse("gone");
            if (!state.equals("sending")) {
                release(c);
                return;
            }
            // In an A/B test the recipients without a variant wait for the winner.
            List<Pending> next = jdbc.sql("""
                            select contact_id, manager_id, variant, email, time_zone from campaign_recipient
                            where workspace_id = ? and campaign_id = ? and message_id is null and skip_reason is null
                              and (variant is not null or not ?) and contact_id > ?
                            order by contact_id limit ?""")
                    .params(c.ws().value(), c.id(), campaign.abTest() != null, after, batch)
                    .query((rs, n) -> new Pending(rs.getLong(1), rs.getObject(2, Long.class), rs.getObject(3, Integer.class),
                            rs.getString(4), rs.getString(5))).list();
            if (next.isEmpty()) {
                if (campaign.abTest() != null && campaign.abTest().winner() == null) {
                    if (!decide(c, campaign)) {
                        return;
                    }
                    campaign = campaigns.get(c.ws(), c.id());
                    after = 0; // the rest, now with the winner, from the start
                    continue;
                }
                finish(c);
                return;
            }
            after = next.getLast().contactId();
            Instant base = clock.instant();
            if (campaign.scheduledAt() != null && campaign.scheduledAt().isAfter(base)) {
                base = campaign.scheduledAt();
            }
            List<Outbox.BatchMessage> messages = new ArrayList<>(next.size());
            for (Pending p : next) {
                String sendTime = campaign.abTest() == null ? null : campaign.abTest().value("send_time", p.variant());
                // A send-time test: each variant's letters go at its own local time; the rest at the winner's.
                Instant notBefore = sendTime != null ? schedule.at(base, p.timeZone(), java.time.LocalTime.parse(sendTime))
                        : schedule.notBefore(base, p.timeZone());
                messages.add(message(c.ws(), campaign, p, managers, authorMember, notBefore));
            }
            // One multi-row insert for the whole batch: a million recipients are a few thousand statements.
            List<Outbox.BatchResult> results = outbox.enqueueBatch(c.ws(), messages);
            List<Object[]> queued = new ArrayList<>();
            List<Long> invalid = new ArrayList<>();
            for (int i = 0; i < next.size(); i++) {
                Outbox.BatchResult r = results.get(i);
                if (r.id() != null) {
                    queued.add(new Object[] {next.get(i).contactId(), r.id(), messages.get(i).notBefore()});
                } else {
                    invalid.add(next.get(i).contactId());
                }
            }
            record(c, queued, invalid);
        }
    }

    /** When each recipient's letter may go: the campaign's local send window and the workspace's quiet hours. */
    record Schedule(ZoneId workspaceZone, io.orbita.campaigns.LocalWindow window, io.orbita.campaigns.LocalWindow quiet,
                    Map<String, ZoneId> zones) {

        /** Null when the letter may go at once (no window and no quiet hours apply). */
        Instant notBefore(Instant base, String timeZone) {
            if (window == null && quiet == null) {
                return null;
            }
            return io.orbita.campaigns.LocalWindow.earliest(base, zone(timeZone), window, quiet);
        }

        /** The next time it is {@code local} o'clock for the recipient (a send-time variant), quiet hours kept. */
        Instant at(Instant base, String timeZone, java.time.LocalTime local) {
            io.orbita.campaigns.LocalWindow w = new io.orbita.campaigns.LocalWindow(local, local.plusMinutes(1));
            return io.orbita.campaigns.LocalWindow.earliest(base, zone(timeZone), w, quiet);
        }

        private ZoneId zone(String timeZone) {
            return timeZone == null ? workspaceZone : zones.computeIfAbsent(timeZone, z -> {
                try {
                    return ZoneId.of(z);
                } catch (java.time.DateTimeException e) {
                    return workspaceZone; // known to PostgreSQL but not to Java: the workspace's zone
                }
            });
        }
    }

    private Schedule schedule(WorkspaceId ws, Campaign c) {
        // The workspace's default zone: workspace has no API for it yet, so its one column is read here.
        ZoneId zone = jdbc.sql("select time_zone from workspace where id = ?").param(ws.value()).query(String.class)
                .optional().map(z -> {
                    try {
                        return ZoneId.of(z);
                    } catch (java.time.DateTimeException e) {
                        return null;
                    }
                }).orElse(ZoneId.of("Europe/Moscow"));
        io.orbita.campaigns.LocalWindow window = c.sendWindow() == null ? null
                : io.orbita.campaigns.LocalWindow.parse(c.sendWindow()).orElse(null);
        // Quiet hours hold marketing letters only; a service letter (an outage notice) goes at night too.
        io.orbita.campaigns.LocalWindow quiet = c.kind().equals("service") ? null : campaigns.settings(ws).quiet();
        return new Schedule(zone, window, quiet, new HashMap<>());
    }

    record Pending(long contactId, Long managerId, Integer variant, String email, String timeZone) {
    }

    /**
     * After the test letters: waits (lease held until the decision time) or decides and gives the rest the winner.
     *
     * @return whether the campaign goes on now
     */
    private boolean decide(Claimed c, Campaign campaign) {
        Instant now = clock.instant();
        Campaign.AbSettings ab = campaign.abTest();
        if (ab.decideAt() == null || now.isBefore(ab.decideAt())) {
            Instant from = now;
            if (ab.kind().equals("send_time")) {
                // The wait starts when the last test letter may go out, not when it was queued.
                Timestamp last = jdbc.sql("""
                                select max(not_before) from campaign_recipient
                                where workspace_id = ? and campaign_id = ? and variant is not null""")
                        .params(c.ws().value(), c.id()).query(Timestamp.class).optional().orElse(null);
                if (last != null && last.toInstant().isAfter(from)) {
                    from = last.toInstant();
                }
            }
            Instant at = ab.decideAt() != null ? ab.decideAt() : from.plus(Duration.ofMinutes(ab.waitMinutes()));
            jdbc.sql("update campaign set ab_decide_at = ?, locked_until = ? where workspace_id = ? and id = ?")
                    .params(Timestamp.from(at), Timestamp.from(at), c.ws().value(), c.id()).update();
            return !now.isBefore(at);
        }
        List<io.orbita.campaigns.CampaignReports.Variant> variants = reports.variants(c.ws(), c.id(), false);
        AbTest.Decision d = ab.metric().equals("revenue")
                ? AbTest.decideRevenue(variants.stream().map(io.orbita.campaigns.CampaignReports.Variant::revenueSample).toList(),
                        ab.defaultVariant())
                : AbTest.decide(variants.stream().map(v -> new AbTest.Sample(v.variant(), v.delivered(),
                        ab.metric().equals("click_rate") ? v.uniqueClicks() : v.uniqueOpens())).toList(), ab.defaultVariant());
        tx.executeWithoutResult(s -> {
            jdbc.sql("update campaign set ab_winner = ?, ab_significant = ? where workspace_id = ? and id = ?")
                    .params(d.winner(), d.significant(), c.ws().value(), c.id()).update();
            jdbc.sql("update campaign_recipient set variant = ? where workspace_id = ? and campaign_id = ? and variant is null")
                    .params(d.winner(), c.ws().value(), c.id()).update();
        });
        log.info("Campaign {} of workspace {}: A/B winner variant {} ({}, min z {})", c.id(), c.ws(), d.winner(),
                d.significant() ? "significant" : "no significant winner, the default", d.minZ());
        return true;
    }

    private Outbox.BatchMessage message(WorkspaceId ws, Campaign c, Pending p, Map<Long, Optional<Members.Member>> managers,
                                        Optional<Members.Member> author, Instant notBefore) {
        String fromName = c.fromName();
        String fromEmail = c.fromEmail();
        if (p.managerId() != null) {
            Optional<Members.Member> m = managers.computeIfAbsent(p.managerId(), id -> members.find(ws, id));
            if (m.isPresent()) {
                fromName = m.get().displayName();
                fromEmail = m.get().email();
            }
        }
        if ((fromEmail == null || fromEmail.isBlank()) && author.isPresent()) {
            fromEmail = author.get().email();
            fromName = fromName == null ? author.get().displayName() : fromName;
        }
        String kind = c.kind().equals("service") ? "transactional" : "marketing";
        Map<String, Object> data = Map.of("campaign", Map.of("id", c.id(), "name", c.name()));
        String key = "campaign:" + c.id() + ":" + p.contactId();
        Campaign.AbSettings ab = c.abTest();
        String variantSubject = ab == null ? null : ab.value("subject", p.variant());
        String variantName = ab == null ? null : ab.value("from_name", p.variant());
        String variantTemplate = ab == null ? null : ab.value("template", p.variant());
        // The template goes as itself (its layout applies); the campaign's subject and preheader replace its own.
        String subject = variantSubject != null ? variantSubject : c.subject();
        return new Outbox.BatchMessage(p.contactId(), p.email(), kind,
                variantTemplate != null ? Long.parseLong(variantTemplate) : c.templateId(), subject, c.preheader(), data,
                variantName != null ? variantName : fromName, fromEmail, key, notBefore);
    }

    private void record(Claimed c, List<Object[]> queued, List<Long> invalid) {
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            if (!queued.isEmpty()) {
                jdbc.sql("""
                                update campaign_recipient r set message_id = q.message_id, queued_at = ?,
                                    not_before = q.not_before::timestamptz
                                from unnest(cast(? as bigint[]), cast(? as bigint[]), cast(? as text[]))
                                     as q(contact_id, message_id, not_before)
                                where r.workspace_id = ? and r.campaign_id = ? and r.contact_id = q.contact_id""")
                        .params(Timestamp.from(now), queued.stream().map(a -> (Long) a[0]).toArray(Long[]::new),
                                queued.stream().map(a -> (Long) a[1]).toArray(Long[]::new),
                                queued.stream().map(a -> a[2] == null ? null : a[2].toString()).toArray(String[]::new),
                                c.ws().value(), c.id())
                        .update();
            }
            if (!invalid.isEmpty()) {
                skip(c.ws(), c.id(), invalid, "invalid");
            }
            jdbc.sql("update campaign set locked_until = ? where workspace_id = ? and id = ?")
                    .params(Timestamp.from(now.plus(lease)), c.ws().value(), c.id()).update();
        });
    }

    private void finish(Claimed c) {
        Instant now = clock.instant();
        jdbc.sql("""
                        update campaign set state = 'sent', finished_at = ?, locked_until = null, updated_at = ?
                        where workspace_id = ? and id = ? and state = 'sending'""")
                .params(Timestamp.from(now), Timestamp.from(now), c.ws().value(), c.id()).update();
    }

    private void release(Claimed c) {
        jdbc.sql("update campaign set locked_until = null where workspace_id = ? and id = ?")
                .params(c.ws().value(), c.id()).update();
    }

    /**
     * Fixes who gets the campaign, all in one transaction: the members of its segments and lists (stored membership)
     * minus the excluded ones, one row per contact; then the skip reasons in order: no marketing consent, suppressed
     * address, kind dropped in the preference centre, weekly frequency cap. Reads the contact table of audience
     * directly (email, consent, manager) because a per-contact API call would not scale to a million recipients.
     */
    public void fixRecipients(WorkspaceId ws, Campaign c) {
        boolean service = c.kind().equals("service");
        Instant now = clock.instant();
        long[] phase = new long[5];
        long t0 = System.nanoTime();
        tx.executeWithoutResult(s -> {
            Long[] include = c.segmentIds().toArray(Long[]::new);
            Long[] exclude = c.excludeSegmentIds().toArray(Long[]::new);
            int fixed = jdbc.sql("""
                            insert into campaign_recipient (workspace_id, campaign_id, contact_id, email, manager_id, skip_reason,
                                                            time_zone)
                            select ct.workspace_id, ?, ct.id, ct.email, ct.manager_id,
                                   case when not ? and ct.consent_status <> 'subscribed' then 'unsubscribed' end,
                                   -- As written; a name Java does not know counts as the workspace's zone when sending.
                                   left(coalesce(nullif(ct.custom_fields ->> 'time_zone', ''),
                                                 (select nullif(co.custom_fields ->> 'time_zone', '') from company co
                                                  where co.workspace_id = ct.workspace_id and co.id = ct.company_id)), 64)
                            from contact ct
                            where ct.workspace_id = ?
                              and ct.id in (select m.contact_id from segment_member m
                                            where m.workspace_id = ? and m.segment_id = any(?))
                              and not exists (select 1 from segment_member x
                                              where x.workspace_id = ? and x.segment_id = any(?) and x.contact_id = ct.id)
                            on conflict do nothing""")
                    .params(c.id(), service, ws.value(), ws.value(), include, ws.value(), exclude).update();
            // A contact in several of the campaign's segments gets one letter; the extra memberships are counted.
            phase[0] = System.nanoTime();
            long duplicates = jdbc.sql("""
                            select count(*) - count(distinct contact_id) from segment_member
                            where workspace_id = ? and segment_id = any(?)""")
                    .params(ws.value(), include).query(Long.class).single();
            phase[1] = System.nanoTime();
            long after = 0;
            while (true) {
                List<Object[]> chunk = jdbc.sql("""
                                select contact_id, email from campaign_recipient
                                where workspace_id = ? and campaign_id = ? and skip_reason is null and contact_id > ?
                                order by contact_id limit ?""")
                        .params(ws.value(), c.id(), after, CHUNK)
                        .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).list();
                if (chunk.isEmpty()) {
                    break;
                }
                after = (Long) chunk.getLast()[0];
                Map<String, List<Long>> byEmail = new HashMap<>();
                List<Long> ids = new ArrayList<>();
                for (Object[] r : chunk) {
                    byEmail.computeIfAbsent((String) r[1], k -> new ArrayList<>()).add((Long) r[0]);
                    ids.add((Long) r[0]);
                }
                Set<String> suppressed = suppressions.suppressedAmong(ws, byEmail.keySet());
                List<Long> skipped = new ArrayList<>();
                suppressed.forEach(e -> skipped.addAll(byEmail.get(e)));
                skip(ws, c.id(), skipped, "suppressed");
                if (!service) {
                    ids.removeAll(skipped);
                    skip(ws, c.id(), new ArrayList<>(preferences.optedOut(ws, ids, c.kind())), "opted_out");
                }
            }
            phase[2] = System.nanoTime();
            int cap = campaigns.settings(ws).weeklyCap();
            if (!service && cap > 0) {
                // Marketing campaign letters queued to the contact in the last 7 days, this campaign aside.
                jdbc.sql("""
                                update campaign_recipient r set skip_reason = 'frequency_cap'
                                where r.workspace_id = ? and r.campaign_id = ? and r.skip_reason is null
                                  and (select count(*) from campaign_recipient p
                                       join campaign pc on pc.workspace_id = p.workspace_id and pc.id = p.campaign_id
                                       where p.workspace_id = r.workspace_id and p.contact_id = r.contact_id
                                         and p.queued_at >= ? and pc.kind <> 'service' and p.campaign_id <> r.campaign_id) >= ?""")
                        .params(ws.value(), c.id(), Timestamp.from(now.minus(Duration.ofDays(7))), cap).update();
            }
            phase[3] = System.nanoTime();
            if (c.abTest() != null) {
                // The test share, in an order no one chose (a hash), split evenly over the variants.
                jdbc.sql("""
                                with ranked as (
                                    select contact_id, row_number() over (order by md5(campaign_id || ':' || contact_id)) as rn,
                                           count(*) over () as n
                                    from campaign_recipient where workspace_id = ? and campaign_id = ? and skip_reason is null)
                                update campaign_recipient r set variant = ((ranked.rn - 1) % ?) + 1
                                from ranked
                                where r.workspace_id = ? and r.campaign_id = ? and r.contact_id = ranked.contact_id
                                  and ranked.rn <= greatest(?, ceil(ranked.n * ? / 100.0))""")
                        .params(ws.value(), c.id(), c.abTest().subjects().size(), ws.value(), c.id(),
                                c.abTest().subjects().size(), c.abTest().share()).update();
            }
            jdbc.sql("""
                            update campaign set started_at = ?, duplicates = ?, updated_at = ?, recipient_count = ?
                            where workspace_id = ? and id = ?""")
                    .params(Timestamp.from(now), duplicates, Timestamp.from(now), fixed, ws.value(), c.id()).update();
            phase[4] = System.nanoTime();
        });
        log.info("Campaign {} of workspace {}: recipient list fixed in {} ms (list {}, duplicates {}, suppressions and "
                        + "preferences {}, frequency cap {}, A/B split and commit {})", c.id(), ws,
                (System.nanoTime() - t0) / 1_000_000, (phase[0] - t0) / 1_000_000, (phase[1] - phase[0]) / 1_000_000,
                (phase[2] - phase[1]) / 1_000_000, (phase[3] - phase[2]) / 1_000_000, (System.nanoTime() - phase[3]) / 1_000_000);
    }

    private void skip(WorkspaceId ws, long campaignId, List<Long> contactIds, String reason) {
        if (contactIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        update campaign_recipient set skip_reason = ?
                        where workspace_id = ? and campaign_id = ? and contact_id = any(cast(? as bigint[])) and skip_reason is null""")
                .params(reason, ws.value(), campaignId, contactIds.toArray(Long[]::new)).update();
    }
}
