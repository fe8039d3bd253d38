package io.orbita.delivery;

import io.orbita.audience.Contacts;
import io.orbita.audience.EmailAddress;
import io.orbita.platform.Chunks;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Page;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The workspace's suppression list: addresses no mail may go to (hard bounces, complaints, soft bounces past the limit,
 * unsubscribes, manual entries and imports). Every send asks {@link #isSuppressed} or, for a batch,
 * {@link #suppressedAmong}. Addresses are compared in one normalized form: trimmed, lower-cased, domain in Unicode.
 */
@Service
public class Suppressions {

    public static final int MAX_PAGE = 500;
    public static final int MAX_IMPORT = 100_000;

    /** Why an address is suppressed. */
    public enum Reason {
        HARD_BOUNCE, SOFT_BOUNCE_LIMIT, COMPLAINT, UNSUBSCRIBED, MANUAL, IMPORT;

        @com.fasterxml.jackson.annotation.JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Reason fromCode(String code) {
            for (Reason r : values()) {
                if (r.code().equals(code)) {
                    return r;
                }
            }
            return null;
        }
    }

    /** One suppressed address. */
    public record Entry(long id, String address, Reason reason, Long sourceMessageId, String note, Instant createdAt) {
    }

    /** What an import did. */
    public record ImportResult(int added, int alreadySuppressed, List<FieldProblem> rejected) {
    }

    /** Contacts per {@link ReturnedMailChanged}: an import of 100,000 addresses makes a hundred events, not one huge one. */
    private static final int EVENT_CHUNK = 1000;

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Contacts contacts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Suppressions(JdbcClient jdbc, AuditLog audit, Contacts contacts, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.contacts = contacts;
        this.events = events;
        this.clock = clock;
    }

    /** The one form addresses are compared in; null for something that is not an address at all. */
    public static String normalize(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        if (a.startsWith("<") && a.endsWith(">")) {
            a = a.substring(1, a.length() - 1).strip();
        }
        EmailAddress.Parsed parsed = EmailAddress.parse(a);
        if (parsed.valid()) {
            return parsed.address().value().toLowerCase(Locale.ROOT);
        }
        // Bounces name addresses our validator would refuse (reserved domains, odd local parts): keep them comparable.
        int at = a.lastIndexOf('@');
        if (at < 1 || at == a.length() - 1 || a.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return null;
        }
        return a.toLowerCase(Locale.ROOT);
    }

    public boolean isSuppressed(WorkspaceId ws, String address) {
        String a = normalize(address);
        return a != null && jdbc.sql("select exists (select 1 from suppression where workspace_id = ? and address = ?)")
                .params(ws.value(), a).query(Boolean.class).single();
    }

    /** The given addresses (as given) that are suppressed; one query for the whole batch. */
    public Set<String> suppressedAmong(WorkspaceId ws, Collection<String> addresses) {
        Map<String, List<String>> byNormal = new java.util.HashMap<>();
        for (String a : addresses) {
            String n = normalize(a);
            if (n != null) {
                byNormal.computeIfAbsent(n, k -> new ArrayList<>()).add(a);
            }
        }
        if (byNormal.isEmpty()) {
            return Set.of();
        }
        Set<String> result = new LinkedHashSet<>();
        jdbc.sql("select address from suppression where workspace_id = ? and address = any(?)")
                .params(ws.value(), byNormal.keySet().toArray(String[]::new))
                .query(String.class).list()
                .forEach(n -> result.addAll(byNormal.getOrDefault(n, List.of())));
        return result;
    }

    /**
     * Suppresses an address because of what mail told us (bounces, complaints): no person is acting. The first reason
     * is kept when the address is already suppressed. Returns true when the address was added.
     */
    @Transactional
    public boolean add(WorkspaceId ws, String address, Reason reason, Long sourceMessageId, String note) {
        String a = normalize(address);
        if (a == null) {
            return false;
        }
        int n = jdbc.sql("""
                        insert into suppression (workspace_id, address, reason, source_message_id, note, created_at)
                        values (?, ?, ?, ?, ?, ?) on conflict (workspace_id, address) do nothing""")
                .params(ws.value(), a, reason.code(), sourceMessageId, note, Timestamp.from(clock.instant())).update();
        return n > 0;
    }

    /** Adds an address by hand (UI or API); a strict address check applies. */
    @Transactional
    public Entry add(OrbitaPrincipal by, String address, String note) {
        EmailAddress.Parsed parsed = EmailAddress.parse(address);
        if (!parsed.valid()) {
            throw new ValidationException(FieldProblem.of("address", parsed.rejection().code(), parsed.rejection().message()));
        }
        if (note != null && note.length() > 500) {
            throw new ValidationException(FieldProblem.of("note", "note.tooLong", "note must be at most 500 characters"));
        }
        String a = normalize(parsed.address().value());
        if (add(by.workspace(), a, Reason.MANUAL, null, note == null || note.isBlank() ? null : note.strip())) {
            audit.record(by, "suppression.added", "suppression", a, Map.of("address", a));
            announce(by.workspace(), List.of(a));
        }
        return find(by.workspace(), a);
    }

    /** Imports addresses (one per item); invalid ones are reported, not fatal. */
    @Transactional
    public ImportResult importAddresses(OrbitaPrincipal by, List<String> addresses) {
        if (addresses.size() > MAX_IMPORT) {
            throw new ValidationException(FieldProblem.of("file", "import.tooMany", "at most " + MAX_IMPORT + " addresses per import", MAX_IMPORT));
        }
        List<FieldProblem> rejected = new ArrayList<>();
        Set<String> valid = new LinkedHashSet<>();
        for (int i = 0; i < addresses.size(); i++) {
            String raw = addresses.get(i);
            if (raw == null || raw.isBlank()) {
                continue;
            }
            EmailAddress.Parsed parsed = EmailAddress.parse(raw.strip());
            if (!parsed.valid()) {
                if (rejected.size() < 100) {
                    rejected.add(FieldProblem.of("line " + (i + 1), parsed.rejection().code(), raw.strip() + ": " + parsed.rejection().message()));
                }
                continue;
            }
            valid.add(normalize(parsed.address().value()));
        }
        int added = 0;
        if (!valid.isEmpty()) {
            List<String> addedAddresses = jdbc.sql("""
                            insert into suppression (workspace_id, address, reason, created_at)
                            select ?, a, 'import', ? from unnest(?) as a on conflict (workspace_id, address) do nothing
                            returning address""")
                    .params(by.workspace().value(), Timestamp.from(clock.instant()), valid.toArray(String[]::new))
                    .query(String.class).list();
            added = addedAddresses.size();
            announce(by.workspace(), addedAddresses);
        }
        audit.record(by, "suppression.imported", "suppression", null, Map.of("added", added, "rejected", rejected.size()));
        return new ImportResult(added, valid.size() - added, rejected);
    }

    @Transactional
    public void remove(OrbitaPrincipal by, long id) {
        Entry e = get(by.workspace(), id);
        jdbc.sql("delete from suppression where workspace_id = ? and id = ?").params(by.workspace().value(), id).update();
        audit.record(by, "suppression.removed", "suppression", id, Map.of("address", e.address(), "reason", e.reason().code()));
        announce(by.workspace(), List.of(e.address()));
    }

    /**
     * Tells segments which contacts' addresses a person suppressed or released. Suppressions made by inbound mail are
     * announced with the rest of what the mail did, once its message's state is set (see ReturnedMail).
     */
    private void announce(WorkspaceId ws, Collection<String> addresses) {
        Chunks.of(new LinkedHashSet<>(contacts.findIdsByLowerEmails(ws, addresses)), EVENT_CHUNK)
                .forEach(ids -> events.publishEvent(new ReturnedMailChanged(ws, ids)));
    }

    public Entry get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(Suppressions::row)
                .optional().orElseThrow(() -> new NotFoundException("suppression", id));
    }

    /** The entry for an address, or null. */
    public Entry find(WorkspaceId ws, String address) {
        String a = normalize(address);
        return a == null ? null : jdbc.sql(SELECT + " where workspace_id = ? and address = ?").params(ws.value(), a)
                .query(Suppressions::row).optional().orElse(null);
    }

    /** Newest first; {@code q} matches part of the address, {@code reason} filters by reason code. */
    public Page<Entry> list(WorkspaceId ws, String q, String reason, String cursor, int limit) {
        long after = Cursor.decode(cursor);
        Reason r = null;
        if (reason != null && !reason.isBlank()) {
            r = Reason.fromCode(reason);
            if (r == null) {
                throw new ValidationException(FieldProblem.of("reason", "reason.unknown",
                        "reason must be one of hard_bounce, soft_bounce_limit, complaint, unsubscribed, manual, import"));
            }
        }
        String like = q == null || q.isBlank() ? null : "%" + q.strip().toLowerCase(Locale.ROOT).replace("\\", "\\\\")
                .replace("%", "\\%").replace("_", "\\_") + "%";
        List<Entry> rows = jdbc.sql(SELECT + " " + """
                         where workspace_id = :ws and id < :after
                           and (cast(:like as text) is null or address like :like)
                           and (cast(:reason as text) is null or reason = :reason)
                         order by id desc limit :limit""")
                .param("ws", ws.value()).param("after", after).param("like", like)
                .param("reason", r == null ? null : r.code()).param("limit", limit + 1)
                .query(Suppressions::row).list();
        return Page.of(rows, limit, Entry::id);
    }

    public long count(WorkspaceId ws) {
        return jdbc.sql("select count(*) from suppression where workspace_id = ?").params(ws.value()).query(Long.class).single();
    }

    /** Streams every entry, oldest first, for export. */
    public void forEach(WorkspaceId ws, Consumer<Entry> consumer) {
        try (var rows = jdbc.sql(SELECT + " where workspace_id = ? order by id").params(ws.value())
                .query(Suppressions::row).stream()) {
            rows.forEach(consumer);
        }
    }

    private static final String SELECT = "select id, address, reason, source_message_id, note, created_at from suppression";

    private static Entry row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        long src = rs.getLong("source_message_id");
        Long source = rs.wasNull() ? null : src;
        return new Entry(rs.getLong("id"), rs.getString("address"), Reason.fromCode(rs.getString("reason")),
                source, rs.getString("note"), rs.getTimestamp("created_at").toInstant());
    }
}
