package io.orbita.segments;

import io.orbita.platform.ConflictException;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.JsonInput;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.segments.internal.BuiltInSegments;
import io.orbita.segments.internal.Membership;
import io.orbita.segments.internal.RuleCompiler;
import io.orbita.segments.internal.SegmentStore;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Rule segments and static lists of a workspace: create, change, delete, count, members, one contact's membership,
 * and the compiled SQL with its plan for administrators.
 */
@Service
public class Segments {

    public static final int MAX_PAGE = 500;
    public static final int MAX_LIST_CHANGE = 10_000;

    /** Name, description and (for rule segments) the rule, as the API and the builder send them. */
    public record SegmentInput(String name, Optional<String> description, JsonNode rule) {

        /** @param kind rule or list: a list takes no rule */
        public static SegmentInput fromJson(JsonNode body, String kind, boolean partial) {
            Problems p = new Problems();
            JsonInput j = JsonInput.of(body, p);
            Optional<String> name = j.text("name");
            Optional<String> description = j.text("description");
            JsonNode rule = null;
            if (kind.equals("rule")) {
                j.object("rule");
                rule = body.get("rule");
                if ((rule == null || rule.isNull()) && !partial) {
                    p.add("rule", "rule.required", "rule is required");
                }
            }
            j.rejectUnknown();
            String n = name == null ? null : name.map(String::strip).orElse("");
            if (n != null && (n.isEmpty() || n.length() > 200)) {
                p.add("name", "name.required", "name must have 1 to 200 characters");
            } else if (n == null && !partial) {
                p.add("name", "name.required", "name must have 1 to 200 characters");
            }
            p.throwIfAny();
            return new SegmentInput(n, description, rule == null || rule.isNull() ? null : rule);
        }
    }

    /** A member as listings show it. */
    public record Member(long contactId, String email, String firstName, String lastName, Instant since) {
    }

    /** Whether one contact is in a segment: now by its rule, and in the stored membership. */
    public record MembershipTest(long contactId, boolean matchesNow, boolean stored) {
    }

    /** The compiled query of a segment with its bind values, and PostgreSQL's plan for it. */
    public record Compiled(String sql, List<Object> params, String plan) {
    }

    /** Settings of the segmentation: the purchase cycle separating active from formerly active clients. */
    public record Settings(int purchaseCycleDays) {
    }

    /** A day's size of a segment. */
    public record SizePoint(LocalDate day, long size) {
    }

    private final SegmentStore store;
    private final RuleCompiler compiler;
    private final Membership membership;
    private final BuiltInSegments builtIns;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final org.springframework.transaction.support.TransactionTemplate tx;

    Segments(SegmentStore store, RuleCompiler compiler, Membership membership, BuiltInSegments builtIns, JdbcClient jdbc,
             AuditLog audit, Clock clock, org.springframework.transaction.support.TransactionTemplate tx) {
        this.tx = tx;
        this.store = store;
        this.compiler = compiler;
        this.membership = membership;
        this.builtIns = builtIns;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    public Page<Segment> list(WorkspaceId ws, String kind, String cursor, int limit) {
        if (kind.equals("rule") && builtIns.ensure(ws)) {
            // Filling them reads every contact and order: never while a page or API call waits.
            membership.fillLater(ws);
        }
        return Page.of(store.list(ws, kind, Cursor.decode(cursor), limit + 1), limit, Segment::id);
    }

    /** @throws NotFoundException when the workspace has no segment (or list) of that kind with this id */
    public Segment get(WorkspaceId ws, String kind, long id) {
        return store.find(ws, id).filter(s -> s.kind().equals(kind)).orElseThrow(() -> new NotFoundException(kind.equals("list") ? "list" : "segment", id));
    }

    public Segment create(OrbitaPrincipal by, String kind, SegmentInput in) {
        if (kind.equals("rule")) {
            compiler.compile(compiler.context(by.workspace()), null, in.rule(), "rule");
        }
        long id = store.insert(by.workspace(), kind, in.name(), in.description() == null ? null : in.description().orElse(null),
                in.rule(), null, clock.instant());
        audit.record(by, kind.equals("list") ? "list.created" : "segment.created", "segment", id, Map.of("name", in.name()));
        if (kind.equals("rule")) {
            membership.refresh(by.workspace(), id);
        } else {
            membership.snapshotList(by.workspace(), id);
        }
        return get(by.workspace(), kind, id);
    }

    public Segment update(OrbitaPrincipal by, String kind, long id, SegmentInput in) {
        Segment current = get(by.workspace(), kind, id);
        JsonNode rule = in.rule() == null ? current.rule() : in.rule();
        if (current.builtIn() != null && in.rule() != null && !in.rule().equals(current.rule())) {
            throw new ValidationException(FieldProblem.of("rule", "segment.builtIn", "the rule of a built-in segment cannot be changed"));
        }
        if (kind.equals("rule")) {
            compiler.compile(compiler.context(by.workspace()), id, rule, "rule");
        }
        String description = in.description() == null ? current.description() : in.description().orElse(null);
        store.update(by.workspace(), id, in.name() == null ? current.name() : in.name(), description, rule, clock.instant());
        audit.record(by, kind.equals("list") ? "list.updated" : "segment.updated", "segment", id, Map.of("name", in.name() == null ? current.name() : in.name()));
        if (kind.equals("rule") && !rule.equals(current.rule())) {
            membership.refresh(by.workspace(), id);
        }
        return get(by.workspace(), kind, id);
    }

    @Transactional
    public void delete(OrbitaPrincipal by, String kind, long id) {
        Segment s = get(by.workspace(), kind, id);
        if (s.builtIn() != null) {
            throw new ConflictException(FieldProblem.of("id", "segment.builtIn", "built-in segments cannot be deleted"));
        }
        List<Long> users = store.referencing(by.workspace(), id);
        if (!users.isEmpty()) {
            throw new ConflictException(FieldProblem.of("id", "segment.inUse", "segments " + users + " refer to this one", users));
        }
        store.delete(by.workspace(), id);
        audit.record(by, kind.equals("list") ? "list.deleted" : "segment.deleted", "segment", id, Map.of("name", s.name()));
    }

    /** Checks a rule without saving it: throws {@link ValidationException} with the path of each bad node. */
    public Predicate check(WorkspaceId ws, Long self, JsonNode rule) {
        return compiler.compile(compiler.context(ws), self, rule, "rule");
    }

    /** Longest a count or sample asked for while editing may run: a runaway rule must not tie up the database. */
    static final String INTERACTIVE_TIMEOUT = "30s";

    /** How many contacts match the rule right now (the builder's live count). */
    public long count(WorkspaceId ws, Long self, JsonNode rule) {
        RuleContext ctx = compiler.context(ws);
        Sql sql = countSql(ctx, compiler.compile(ctx, self, rule, "rule"));
        return bounded(() -> jdbc.sql(sql.text()).params(sql.params()).query(Long.class).single());
    }

    private <T> T bounded(java.util.function.Supplier<T> query) {
        try {
            return tx.execute(status -> {
                jdbc.sql("set local statement_timeout = '" + INTERACTIVE_TIMEOUT + "'").update();
                return query.get();
            });
        } catch (org.springframework.dao.DataAccessException e) {
            if (e.getMostSpecificCause() instanceof java.sql.SQLException sqlError && "57014".equals(sqlError.getSQLState())) {
                throw new ValidationException(FieldProblem.of("rule", "rule.tooSlow",
                        "the rule took longer than " + INTERACTIVE_TIMEOUT + " to evaluate; narrow it down"));
            }
            throw e;
        }
    }

    /** The live count of a segment (lists: their members). */
    public long count(WorkspaceId ws, String kind, long id) {
        Segment s = get(ws, kind, id);
        if (s.isList()) {
            return jdbc.sql("select count(*) from segment_member where workspace_id = ? and segment_id = ?")
                    .params(ws.value(), id).query(Long.class).single();
        }
        return count(ws, id, s.rule());
    }

    /** Up to {@code limit} contacts matching the rule now, newest first. */
    public List<Member> sample(WorkspaceId ws, Long self, JsonNode rule, int limit) {
        RuleContext ctx = compiler.context(ws);
        Sql match = Membership.select(ctx, compiler.compile(ctx, self, rule, "rule"), null);
        Sql sql = new Sql().append("select x.id, x.email, x.first_name, x.last_name, null::timestamptz from contact x where x.workspace_id = ")
                .bind(ws.value()).append(" and x.id in (").append(match.text()).append(") order by x.id desc limit ").bind(limit);
        List<Object> params = new ArrayList<>(List.of(ws.value()));
        params.addAll(match.params());
        params.add(limit);
        return bounded(() -> jdbc.sql(sql.text()).params(params).query(this::member).list());
    }

    /** Which of the given contacts match the rule now, evaluated contact by contact as incremental refreshes do. */
    public Set<Long> matching(WorkspaceId ws, JsonNode rule, java.util.Collection<Long> contactIds) {
        RuleContext ctx = compiler.context(ws).forFewContacts();
        Sql sql = Membership.select(ctx, compiler.compile(ctx, null, rule, "rule"), contactIds);
        return new LinkedHashSet<>(jdbc.sql(sql.text()).params(sql.params()).query(Long.class).list());
    }

    /** The stored members, newest contact first, keyset-paginated. */
    public Page<Member> members(WorkspaceId ws, String kind, long id, String cursor, int limit) {
        get(ws, kind, id);
        List<Member> rows = jdbc.sql("""
                        select c.id, c.email, c.first_name, c.last_name, m.since from segment_member m
                        join contact c on c.workspace_id = m.workspace_id and c.id = m.contact_id
                        where m.workspace_id = ? and m.segment_id = ? and m.contact_id < ?
                        order by m.contact_id desc limit ?""")
                .params(ws.value(), id, Cursor.decode(cursor), limit + 1).query(this::member).list();
        return Page.of(rows, limit, Member::contactId);
    }

    public MembershipTest test(WorkspaceId ws, String kind, long id, long contactId) {
        Segment s = get(ws, kind, id);
        boolean contact = jdbc.sql("select exists (select 1 from contact where workspace_id = ? and id = ?)")
                .params(ws.value(), contactId).query(Boolean.class).single();
        if (!contact) {
            throw new NotFoundException("contact", contactId);
        }
        boolean stored = jdbc.sql("select exists (select 1 from segment_member where workspace_id = ? and segment_id = ? and contact_id = ?)")
                .params(ws.value(), id, contactId).query(Boolean.class).single();
        if (s.isList()) {
            return new MembershipTest(contactId, stored, stored);
        }
        RuleContext ctx = compiler.context(ws).forFewContacts();
        Sql sql = Membership.select(ctx, compiler.compile(ctx, id, s.rule(), "rule"), List.of(contactId));
        boolean now = !jdbc.sql(sql.text()).params(sql.params()).query(Long.class).list().isEmpty();
        return new MembershipTest(contactId, now, stored);
    }

    /** The count query of a segment as PostgreSQL receives it, and its plan (EXPLAIN, not executed). */
    public Compiled compiled(WorkspaceId ws, long id) {
        Segment s = get(ws, "rule", id);
        RuleContext ctx = compiler.context(ws);
        Sql sql = countSql(ctx, compiler.compile(ctx, id, s.rule(), "rule"));
        String plan = String.join("\n", jdbc.sql("explain " + sql.text()).params(sql.params()).query(String.class).list());
        List<Object> shown = sql.params().stream().map(p -> p instanceof Object[] a ? List.of(a) : p instanceof Timestamp t ? t.toInstant().toString() : p).toList();
        return new Compiled(sql.text(), shown, plan);
    }

    public Membership.Result refresh(WorkspaceId ws, long id) {
        get(ws, "rule", id);
        return membership.refresh(ws, id);
    }

    public List<SizePoint> sizes(WorkspaceId ws, String kind, long id, int days) {
        get(ws, kind, id);
        return jdbc.sql("select day, size from segment_size where workspace_id = ? and segment_id = ? order by day desc limit ?")
                .params(ws.value(), id, days).query((rs, n) -> new SizePoint(rs.getObject(1, LocalDate.class), rs.getLong(2))).list()
                .reversed();
    }

    public Settings settings(WorkspaceId ws) {
        return new Settings(jdbc.sql("select purchase_cycle_days from segment_settings where workspace_id = ?").params(ws.value())
                .query(Integer.class).optional().orElse(180));
    }

    /** Changes the purchase cycle and recounts the segments that depend on it. */
    public Settings changeSettings(OrbitaPrincipal by, Integer purchaseCycleDays) {
        if (purchaseCycleDays == null || purchaseCycleDays < 1 || purchaseCycleDays > 3650) {
            throw new ValidationException(FieldProblem.of("purchaseCycleDays", "purchaseCycle.range",
                    "purchaseCycleDays must be a whole number of days from 1 to 3650", 1, 3650));
        }
        jdbc.sql("""
                        insert into segment_settings (workspace_id, purchase_cycle_days) values (?, ?)
                        on conflict (workspace_id) do update set purchase_cycle_days = excluded.purchase_cycle_days""")
                .params(by.workspace().value(), purchaseCycleDays).update();
        audit.record(by, "segments.settings", "segment_settings", by.workspace().value(), Map.of("purchaseCycleDays", purchaseCycleDays));
        for (Segment s : store.rules(by.workspace())) {
            if (compiler.typesOf(by.workspace(), s.rule()).contains("activity")) {
                membership.refresh(by.workspace(), s.id());
            }
        }
        return settings(by.workspace());
    }

    /** Adds contacts to a static list; unknown ids are reported, nothing is added then. Returns how many were new. */
    @Transactional
    public int addToList(OrbitaPrincipal by, long listId, List<Long> contactIds) {
        get(by.workspace(), "list", listId);
        Set<Long> ids = checkIds(by.workspace(), contactIds);
        Instant now = clock.instant();
        List<Long> added = jdbc.sql("""
                        insert into segment_member (workspace_id, segment_id, contact_id, since)
                        select ?, ?, unnest(cast(? as bigint[])), ? on conflict do nothing returning contact_id""")
                .params(by.workspace().value(), listId, ids.toArray(Long[]::new), Timestamp.from(now)).query(Long.class).list();
        changed(by.workspace(), listId, added, List.of(), now);
        return added.size();
    }

    @Transactional
    public int removeFromList(OrbitaPrincipal by, long listId, List<Long> contactIds) {
        get(by.workspace(), "list", listId);
        Instant now = clock.instant();
        List<Long> removed = jdbc.sql("""
                        delete from segment_member where workspace_id = ? and segment_id = ? and contact_id = any(cast(? as bigint[]))
                        returning contact_id""")
                .params(by.workspace().value(), listId, contactIds.toArray(Long[]::new)).query(Long.class).list();
        changed(by.workspace(), listId, List.of(), removed, now);
        return removed.size();
    }

    /** Entered/left records of a segment or list, newest first. */
    public record Change(long contactId, boolean entered, Instant at) {
    }

    public List<Change> changes(WorkspaceId ws, String kind, long id, int limit) {
        get(ws, kind, id);
        return jdbc.sql("select contact_id, entered, at from segment_membership_change where workspace_id = ? and segment_id = ? order by id desc limit ?")
                .params(ws.value(), id, limit).query((rs, n) -> new Change(rs.getLong(1), rs.getBoolean(2), rs.getTimestamp(3).toInstant())).list();
    }

    private void changed(WorkspaceId ws, long listId, List<Long> entered, List<Long> left, Instant now) {
        if (entered.isEmpty() && left.isEmpty()) {
            return;
        }
        Timestamp at = Timestamp.from(now);
        jdbc.sql("""
                        insert into segment_membership_change (workspace_id, segment_id, contact_id, entered, at)
                        select ?, ?, x.id, x.entered, ? from unnest(cast(? as bigint[]), cast(? as boolean[])) as x(id, entered)""")
                .params(ws.value(), listId, at, concat(entered, left).toArray(Long[]::new),
                        concat(entered.stream().map(x -> true).toList(), left.stream().map(x -> false).toList()).toArray(Boolean[]::new))
                .update();
        jdbc.sql("update segment set size = size + ?, refreshed_at = ? where workspace_id = ? and id = ?")
                .params(entered.size() - left.size(), at, ws.value(), listId).update();
        membership.publish(ws, listId, entered, left, now);
        // Rule segments that test membership of this list see these contacts change too.
        List<Long> touched = concat(entered, left);
        if (!store.referencing(ws, listId).isEmpty()) {
            membership.reevaluate(ws, touched, null);
        }
    }

    private Set<Long> checkIds(WorkspaceId ws, List<Long> contactIds) {
        if (contactIds.isEmpty() || contactIds.size() > MAX_LIST_CHANGE) {
            throw new ValidationException(FieldProblem.of("contactIds", "contactIds.size", "contactIds must have 1 to " + MAX_LIST_CHANGE + " ids", MAX_LIST_CHANGE));
        }
        Set<Long> ids = new LinkedHashSet<>(contactIds);
        List<Long> known = jdbc.sql("select id from contact where workspace_id = ? and id = any(cast(? as bigint[]))")
                .params(ws.value(), ids.toArray(Long[]::new)).query(Long.class).list();
        Set<Long> missing = new LinkedHashSet<>(ids);
        known.forEach(missing::remove);
        if (!missing.isEmpty()) {
            throw new ValidationException(FieldProblem.of("contactIds", "contact.unknown", "no such contacts in this workspace: " + missing, missing.toString()));
        }
        return ids;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Sql countSql(RuleContext ctx, Predicate p) {
        Sql sql = new Sql();
        sql.append("select count(*) from contact c where c.workspace_id = ").bind(ctx.workspace().value()).append(" and (");
        p.appendTo(sql);
        return sql.append(")");
    }

    private Member member(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp since = rs.getTimestamp(5);
        return new Member(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), since == null ? null : since.toInstant());
    }
}
