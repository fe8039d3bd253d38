package io.orbita.campaigns;

import io.orbita.content.Templates;
import io.orbita.platform.ConflictException;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import io.orbita.platform.WorkspaceId;
import io.orbita.segments.Segments;
import io.orbita.tracking.MailingKind;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Campaigns and their life: draft, scheduled, sending, paused, sent or cancelled. Sending itself (fixing the recipient
 * list and queueing letters into the outbox) is done by the campaign worker; this class only moves states, which the
 * worker reads before every batch, so a pause or cancel takes effect after the batch in flight.
 */
@Service
public class Campaigns {

    public static final int MAX_PAGE = 200;
    public static final List<String> KINDS = List.of("news", "content", "event", "promo", "service");

    /**
     * Per-workspace sending rules.
     *
     * @param quietHours no marketing letter goes out inside this stretch of the recipient's local time
     *        ("21:00-09:00"), or null: none
     */
    public record Settings(int weeklyCap, int attributionDays, String quietHours) {

        public Settings(int weeklyCap, int attributionDays) {
            this(weeklyCap, attributionDays, null);
        }

        public LocalWindow quiet() {
            return quietHours == null ? null : LocalWindow.parse(quietHours).orElse(null);
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Segments segments;
    private final Templates templates;
    private final AuditLog audit;

    Campaigns(JdbcClient jdbc, Clock clock, Segments segments, Templates templates, AuditLog audit) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.segments = segments;
        this.templates = templates;
        this.audit = audit;
    }

    public Page<Campaign> list(WorkspaceId ws, String cursor, int limit) {
        return Page.of(jdbc.sql(SELECT + " where workspace_id = ? and id < ? order by id desc limit ?")
                .params(ws.value(), Cursor.decode(cursor), limit + 1).query(Campaigns::map).list(), limit, Campaign::id);
    }

    /** The latest campaigns that started sending (other than {@code exceptId}), newest first. */
    public List<Campaign> recent(WorkspaceId ws, long exceptId, int n) {
        return jdbc.sql(SELECT + """
                         where workspace_id = ? and id <> ? and started_at is not null
                        order by started_at desc, id desc limit ?""")
                .params(ws.value(), exceptId, n).query(Campaigns::map).list();
    }

    public Campaign get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(Campaigns::map)
                .optional().orElseThrow(() -> new NotFoundException("campaign", id));
    }

    @Transactional
    public Campaign create(OrbitaPrincipal by, CampaignInput in) {
        WorkspaceId ws = by.workspace();
        check(ws, in, true);
        Instant now = clock.instant();
        long id = jdbc.sql("""
                        insert into campaign (workspace_id, name, kind, include_ids, exclude_ids, template_id, from_name,
                            from_email, subject, preheader, created_by, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(ws.value(), in.name().strip(), norm(in.kind()), in.segmentIds().toArray(Long[]::new),
                        (in.excludeSegmentIds() == null ? List.<Long>of() : in.excludeSegmentIds()).toArray(Long[]::new),
                        in.templateId(), blank(in.fromName()), blank(in.fromEmail()), blank(in.subject()),
                        blank(in.preheader()), by.userId(), Timestamp.from(now), Timestamp.from(now))
                .query(Long.class).single();
        writeAb(ws, id, in.abTest());
        audit.record(by, "campaign.create", "campaign", id, java.util.Map.of("name", in.name().strip()));
        return get(ws, id);
    }

    /** Changes a draft or scheduled campaign; fields left null stay as they are. */
    @Transactional
    public Campaign update(OrbitaPrincipal by, long id, CampaignInput in) {
        WorkspaceId ws = by.workspace();
        Campaign c = lock(ws, id);
        if (!c.editable()) {
            throw conflict("state", "campaign.notEditable", "a campaign that is " + c.state() + " cannot be changed");
        }
        check(ws, in, false);
        jdbc.sql("""
                        update campaign set name = coalesce(?, name), kind = coalesce(?, kind),
                            include_ids = coalesce(?, include_ids), exclude_ids = coalesce(?, exclude_ids),
                            template_id = coalesce(?, template_id),
                            from_name = case when ? then ? else from_name end,
                            from_email = case when ? then ? else from_email end,
                            subject = case when ? then ? else subject end,
                            preheader = case when ? then ? else preheader end, updated_at = ?
                        where workspace_id = ? and id = ?""")
                .params(in.name() == null ? null : in.name().strip(), in.kind() == null ? null : norm(in.kind()),
                        in.segmentIds() == null ? null : in.segmentIds().toArray(Long[]::new),
                        in.excludeSegmentIds() == null ? null : in.excludeSegmentIds().toArray(Long[]::new),
                        in.templateId(), in.fromName() != null, blank(in.fromName()), in.fromEmail() != null,
                        blank(in.fromEmail()), in.subject() != null, blank(in.subject()), in.preheader() != null,
                        blank(in.preheader()), Timestamp.from(clock.instant()), ws.value(), id)
                .update();
        writeAb(ws, id, in.abTest());
        audit.record(by, "campaign.update", "campaign", id, java.util.Map.of());
        return get(ws, id);
    }

    /** Sets (or with an empty value removes) the A/B test; null leaves it as it is. */
    private void writeAb(WorkspaceId ws, long id, Optional<CampaignInput.AbInput> ab) {
        if (ab == null) {
            return;
        }
        CampaignInput.AbInput a = ab.orElse(null);
        jdbc.sql("""
                        update campaign set ab_subjects = ?, ab_share = ?, ab_metric = ?, ab_wait_minutes = ?, ab_default = ?,
                            ab_decide_at = null, ab_winner = null, ab_significant = null, ab_kind = ?
                        where workspace_id = ? and id = ?""")
                .params(a == null ? null : a.subjects().toArray(String[]::new), a == null ? null : a.share(),
                        a == null ? null : a.metric(), a == null ? null : a.waitMinutes(), a == null ? null : a.defaultVariant(),
                        a == null ? "subject" : a.kind(), ws.value(), id)
                .update();
    }

    /** Deletes a campaign that never started sending (a draft, scheduled or cancelled before it started). */
    @Transactional
    public void delete(OrbitaPrincipal by, long id) {
        Campaign c = lock(by.workspace(), id);
        if (c.startedAt() != null) {
            throw conflict("state", "campaign.started", "a campaign that has started sending is kept for its report; cancel it instead");
        }
        jdbc.sql("delete from campaign where workspace_id = ? and id = ?").params(by.workspace().value(), id).update();
        audit.record(by, "campaign.delete", "campaign", id, java.util.Map.of("name", c.name()));
    }

    /** Sends at {@code at} (now or later): draft or scheduled → scheduled; the worker starts it when due. */
    @Transactional
    public Campaign schedule(OrbitaPrincipal by, long id, Instant at) {
        return schedule(by, id, at, null);
    }

    /**
     * As {@link #schedule(OrbitaPrincipal, long, Instant)}, each recipient getting the letter only inside
     * {@code window} of their own local time (time zone of the contact, else its company, else the workspace); null
     * sends as soon as due.
     */
    @Transactional
    public Campaign schedule(OrbitaPrincipal by, long id, Instant at, LocalWindow window) {
        WorkspaceId ws = by.workspace();
        Campaign c = lock(ws, id);
        if (!c.editable()) {
            throw conflict("state", "campaign.notSchedulable", "a campaign that is " + c.state() + " cannot be scheduled");
        }
        Instant now = clock.instant();
        Instant when = at == null || at.isBefore(now) ? now : at;
        // The template may have been deleted since the draft was saved.
        check(ws, new CampaignInput(null, null, c.segmentIds(), c.excludeSegmentIds(), c.templateId(), null, null, null, null, null), false);
        jdbc.sql("""
                        update campaign set state = 'scheduled', scheduled_at = ?, updated_at = ?, window_start = ?, window_end = ?
                        where workspace_id = ? and id = ?""")
                .params(Timestamp.from(when), Timestamp.from(now), window == null ? null : window.start(),
                        window == null ? null : window.end(), ws.value(), id).update();
        audit.record(by, "campaign.schedule", "campaign", id, java.util.Map.of("at", when.toString(),
                "window", window == null ? "" : window.toString()));
        return get(ws, id);
    }

    /** Stops queueing further letters; the letters already in the outbox go on. */
    @Transactional
    public Campaign pause(OrbitaPrincipal by, long id) {
        return move(by, id, Set.of("sending"), "paused", "campaign.pause");
    }

    /** Goes on from exactly where the pause stopped. */
    @Transactional
    public Campaign resume(OrbitaPrincipal by, long id) {
        return move(by, id, Set.of("paused"), "sending", "campaign.resume");
    }

    /** No further letters; a scheduled campaign does not start. Letters already queued are sent. */
    @Transactional
    public Campaign cancel(OrbitaPrincipal by, long id) {
        return move(by, id, Set.of("draft", "scheduled", "sending", "paused"), "cancelled", "campaign.cancel");
    }

    public Settings settings(WorkspaceId ws) {
        return jdbc.sql("select weekly_cap, attribution_days, quiet_start, quiet_end from campaign_settings where workspace_id = ?")
                .param(ws.value())
                .query((rs, n) -> new Settings(rs.getInt(1), rs.getInt(2), window(rs, "quiet_start", "quiet_end")))
                .optional().orElse(new Settings(3, 7, null));
    }

    @Transactional
    public Settings changeSettings(OrbitaPrincipal by, Integer weeklyCap, Integer attributionDays) {
        return changeSettings(by, weeklyCap, attributionDays, null);
    }

    /** @param quietHours empty: none; null: unchanged */
    @Transactional
    public Settings changeSettings(OrbitaPrincipal by, Integer weeklyCap, Integer attributionDays, Optional<LocalWindow> quietHours) {
        Problems p = new Problems();
        checkSettings(weeklyCap, attributionDays, p);
        p.throwIfAny();
        Settings old = settings(by.workspace());
        LocalWindow quiet = quietHours == null ? old.quiet() : quietHours.orElse(null);
        Settings s = new Settings(weeklyCap == null ? old.weeklyCap() : weeklyCap,
                attributionDays == null ? old.attributionDays() : attributionDays, quiet == null ? null : quiet.toString());
        jdbc.sql("""
                        insert into campaign_settings (workspace_id, weekly_cap, attribution_days, quiet_start, quiet_end)
                        values (?, ?, ?, ?, ?)
                        on conflict (workspace_id) do update set weekly_cap = excluded.weekly_cap,
                            attribution_days = excluded.attribution_days, quiet_start = excluded.quiet_start,
                            quiet_end = excluded.quiet_end""")
                .params(by.workspace().value(), s.weeklyCap(), s.attributionDays(), quiet == null ? null : quiet.start(),
                        quiet == null ? null : quiet.end()).update();
        audit.record(by, "campaign.settings", "campaign_settings", by.workspace().value(), java.util.Map.of("weeklyCap", s.weeklyCap(), "attributionDays", s.attributionDays()));
        return s;
    }

    /** Adds what is wrong with the settings' numbers to {@code p} (null: not given); the settings page shows them with its own. */
    public static void checkSettings(Integer weeklyCap, Integer attributionDays, Problems p) {
        if (weeklyCap != null && (weeklyCap < 0 || weeklyCap > 100)) {
            p.add("weeklyCap", "settings.weeklyCap", "weeklyCap must be 0 (no cap) to 100");
        }
        if (attributionDays != null && (attributionDays < 1 || attributionDays > 90)) {
            p.add("attributionDays", "settings.attributionDays", "attributionDays must be 1 to 90");
        }
    }

    private Campaign move(OrbitaPrincipal by, long id, Set<String> from, String to, String action) {
        WorkspaceId ws = by.workspace();
        Campaign c = lock(ws, id);
        if (!from.contains(c.state())) {
            throw conflict("state", "campaign.state", "a campaign that is " + c.state() + " cannot be " + to);
        }
        Instant now = clock.instant();
        jdbc.sql("""
                        update campaign set state = ?, updated_at = ?, finished_at = case when ? = 'cancelled' then ? else finished_at end
                        where workspace_id = ? and id = ?""")
                .params(to, Timestamp.from(now), to, Timestamp.from(now), ws.value(), id).update();
        audit.record(by, action, "campaign", id, java.util.Map.of());
        return get(ws, id);
    }

    private Campaign lock(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ? for update").params(ws.value(), id)
                .query(Campaigns::map).optional().orElseThrow(() -> new NotFoundException("campaign", id));
    }

    /**
     * What {@link #create} ({@code creating}) or {@link #update} would refuse in {@code in}, without saving: the form
     * shows these together with the problems of its A/B section, which it checks first.
     */
    public List<FieldProblem> problems(WorkspaceId ws, CampaignInput in, boolean creating) {
        Problems p = new Problems();
        collect(ws, in, creating, p);
        return p.list();
    }

    private void check(WorkspaceId ws, CampaignInput in, boolean creating) {
        Problems p = new Problems();
        collect(ws, in, creating, p);
        p.throwIfAny();
    }

    private void collect(WorkspaceId ws, CampaignInput in, boolean creating, Problems p) {
        if (creating || in.name() != null) {
            if (in.name() == null || in.name().isBlank() || in.name().strip().length() > 200) {
                p.add("name", "campaign.name", "name must have 1 to 200 characters");
            }
        }
        if (creating || in.kind() != null) {
            if (in.kind() == null || !KINDS.contains(norm(in.kind()))) {
                p.add("kind", "campaign.kind", "kind must be one of " + String.join(", ", KINDS));
            }
        }
        if (creating || in.segmentIds() != null) {
            if (in.segmentIds() == null || in.segmentIds().isEmpty()) {
                p.add("segmentIds", "campaign.audience", "segmentIds must name at least one segment or list");
            }
        }
        for (String field : List.of("segmentIds", "excludeSegmentIds")) {
            List<Long> ids = field.equals("segmentIds") ? in.segmentIds() : in.excludeSegmentIds();
            if (ids == null) {
                continue;
            }
            if (ids.size() > 50) {
                p.add(field, "campaign.audienceSize", field + " may name at most 50 segments and lists");
                continue;
            }
            for (long sid : ids) {
                if (!segmentExists(ws, sid)) {
                    p.add(field, "campaign.segment", "no segment or list " + sid + " in this workspace");
                }
            }
        }
        if (creating || in.templateId() != null) {
            if (in.templateId() == null) {
                p.add("templateId", "campaign.template", "templateId is required");
            } else {
                try {
                    templates.get(ws, in.templateId());
                } catch (NotFoundException e) {
                    p.add("templateId", "campaign.template", "no template " + in.templateId() + " in this workspace");
                }
            }
        }
        String fromEmail = in.fromEmail() == null ? null : in.fromEmail().orElse(null);
        if (fromEmail != null && !fromEmail.isBlank()
                && (!fromEmail.strip().matches("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+") || fromEmail.length() > 254)) {
            p.add("fromEmail", "campaign.fromEmail", "fromEmail is not an email address");
        }
        String fromName = in.fromName() == null ? null : in.fromName().orElse(null);
        if (fromName != null && (fromName.length() > 200 || fromName.chars().anyMatch(Character::isISOControl))) {
            p.add("fromName", "campaign.fromName", "fromName must be one line of at most 200 characters");
        }
        if (in.subject() != null && in.subject().orElse("").length() > 500) {
            p.add("subject", "campaign.length", "subject may have at most 500 characters");
        }
        if (in.abTest() != null && in.abTest().isPresent() && in.abTest().get().kind().equals("template")) {
            for (String t : in.abTest().get().subjects()) {
                try {
                    templates.get(ws, Long.parseLong(t));
                } catch (NotFoundException e) {
                    p.add("abTest.variants", "campaign.template", "no template " + t + " in this workspace");
                }
            }
        }
        if (in.preheader() != null && in.preheader().orElse("").length() > 500) {
            p.add("preheader", "campaign.length", "preheader may have at most 500 characters");
        }
    }

    private boolean segmentExists(WorkspaceId ws, long id) {
        for (String kind : List.of("rule", "list")) {
            try {
                segments.get(ws, kind, id);
                return true;
            } catch (NotFoundException e) {
                // try the other kind
            }
        }
        return false;
    }

    static String norm(String kind) {
        return kind == null ? null : kind.strip().toLowerCase(Locale.ROOT);
    }

    private static String blank(Optional<String> v) {
        return v == null ? null : v.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }

    private static ConflictException conflict(String field, String code, String message) {
        return new ConflictException(FieldProblem.of(field, code, message));
    }

    /** The mailing kind as the preference centre knows it: null for service letters. */
    static MailingKind mailingKind(String kind) {
        return MailingKind.fromCode(kind);
    }

    private static final String SELECT = """
            select id, name, kind, state, include_ids, exclude_ids, template_id, from_name, from_email, subject, preheader,
                   scheduled_at, started_at, finished_at, created_at, updated_at, ab_subjects, ab_share, ab_metric,
                   ab_wait_minutes, ab_default, ab_decide_at, ab_winner, ab_significant, window_start, window_end, ab_kind
            from campaign""";

    private static Campaign map(ResultSet rs, int n) throws SQLException {
        return new Campaign(rs.getLong("id"), rs.getString("name"), rs.getString("kind"), rs.getString("state"),
                ids(rs.getArray("include_ids")), ids(rs.getArray("exclude_ids")), rs.getLong("template_id"),
                rs.getString("from_name"), rs.getString("from_email"), rs.getString("subject"), rs.getString("preheader"),
                instant(rs, "scheduled_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                instant(rs, "created_at"), instant(rs, "updated_at"), ab(rs), window(rs, "window_start", "window_end"));
    }

    private static String window(ResultSet rs, String start, String end) throws SQLException {
        java.sql.Time s = rs.getTime(start);
        java.sql.Time e = rs.getTime(end);
        return s == null || e == null ? null : new LocalWindow(s.toLocalTime(), e.toLocalTime()).toString();
    }

    private static Campaign.AbSettings ab(ResultSet rs) throws SQLException {
        Array subjects = rs.getArray("ab_subjects");
        if (subjects == null) {
            return null;
        }
        return new Campaign.AbSettings(List.of((String[]) subjects.getArray()), rs.getInt("ab_share"), rs.getString("ab_metric"),
                rs.getInt("ab_wait_minutes"), rs.getInt("ab_default"), instant(rs, "ab_decide_at"),
                rs.getObject("ab_winner", Integer.class), rs.getObject("ab_significant", Boolean.class), rs.getString("ab_kind"));
    }

    private static List<Long> ids(Array a) throws SQLException {
        return a == null ? List.of() : new ArrayList<>(Arrays.asList((Long[]) a.getArray()));
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }
}
