package io.orbita.activity;

import io.orbita.audience.Contacts;
import io.orbita.platform.Bulk;
import io.orbita.platform.Chunks;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.Problems;
import io.orbita.platform.WorkspaceId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records events in batches. Each item is checked on its own; a replayed idempotency key stores nothing and answers
 * {@code unchanged}; items of a batch that are fine are stored even when others are not.
 */
@Service
public class Events {

    public static final int MAX_BATCH = 1000;
    public static final Set<String> STANDARD_TYPES = Set.of("page_viewed", "product_viewed", "content_viewed",
            "cart_updated", "checkout_started", "order_placed", "form_submitted");
    static final int MAX_PROPERTIES_BYTES = 16_384;
    /** Compiled once: String.matches would compile it again for every event of every batch. */
    private static final java.util.regex.Pattern TYPE = java.util.regex.Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
    static final Duration MAX_FUTURE = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final Contacts contacts;
    private final JsonMapper json;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;

    Events(JdbcClient jdbc, Contacts contacts, JsonMapper json, ApplicationEventPublisher publisher, Clock clock) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.json = json;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Where a batch came from: {@code api} or {@code tracker}. */
    @Transactional
    public Bulk.Result record(WorkspaceId ws, List<Bulk.Item<EventInput>> items, String source) {
        Instant now = clock.instant();
        Bulk.ItemResult[] results = new Bulk.ItemResult[items.size()];

        // Resolve who each event is about, in three queries for the whole batch.
        Set<String> emails = new HashSet<>();
        Set<Long> ids = new HashSet<>();
        Set<String> visitors = new HashSet<>();
        for (Bulk.Item<EventInput> item : items) {
            EventInput e = item.input();
            if (e != null) {
                if (e.email() != null) {
                    emails.add(e.email());
                }
                if (e.contactId() != null) {
                    ids.add(e.contactId());
                }
                if (e.visitorId() != null) {
                    visitors.add(e.visitorId());
                }
            }
        }
        Map<String, Long> byEmail = emails.isEmpty() ? Map.of() : contacts.findIdsByEmails(ws, emails);
        Set<Long> known = ids.isEmpty() ? Set.of() : contacts.existing(ws, ids);
        Map<String, Long> byVisitor = identified(ws, visitors);

        List<Pending> pending = new ArrayList<>();
        Set<String> keysInBatch = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Bulk.Item<EventInput> item = items.get(i);
            if (item.input() == null) {
                results[i] = Bulk.ItemResult.error(i, item.problems());
                continue;
            }
            EventInput e = item.input();
            Problems p = new Problems();
            if (e.type() == null || !TYPE.matcher(e.type()).matches()) {
                p.add("type", "event.type", "type must be a lower-case name such as page_viewed (letters, digits, _ . : -)");
            }
            Long contactId = null;
            if (e.contactId() != null) {
                contactId = known.contains(e.contactId()) ? e.contactId() : null;
                if (contactId == null) {
                    p.add("contactId", "contact.unknown", "no such contact in this workspace");
                }
            } else if (e.email() != null) {
                contactId = byEmail.get(e.email());
                if (contactId == null) {
                    p.add("email", "contact.unknown", "no contact with this email in this workspace");
                }
            } else if (e.visitorId() == null) {
                p.add("contactId", "event.noSubject", "an event needs contactId, email or visitorId");
            }
            String visitor = e.visitorId();
            if (visitor != null && (visitor.isBlank() || visitor.length() > 100)) {
                p.add("visitorId", "event.visitor", "visitorId must be 1 to 100 characters");
            } else if (contactId == null && visitor != null) {
                contactId = byVisitor.get(visitor);
            }
            Instant at = e.occurredAt() == null ? now : e.occurredAt();
            if (at.isAfter(now.plus(MAX_FUTURE)) || at.isBefore(Instant.parse("2000-01-01T00:00:00Z"))) {
                p.add("occurredAt", "event.time", "occurredAt must be between 2000 and tomorrow");
            }
            String properties = json.writeValueAsString(e.properties() == null ? Map.of() : e.properties());
            if (properties.length() > MAX_PROPERTIES_BYTES) {
                p.add("properties", "event.tooLarge", "properties must be at most 16 KB of JSON");
            }
            String key = e.idempotencyKey();
            if (key != null && (key.isBlank() || key.length() > 200)) {
                p.add("idempotencyKey", "event.key", "idempotencyKey must be 1 to 200 characters");
            }
            if (!p.isEmpty()) {
                results[i] = Bulk.ItemResult.error(i, p.list());
                continue;
            }
            if (key != null && !keysInBatch.add(key)) {
                results[i] = new Bulk.ItemResult(i, "unchanged", null, List.of());
                continue;
            }
            pending.add(new Pending(i, e.type(), contactId, visitor, at, properties, e.properties() == null ? Map.of() : e.properties(), key));
        }

        // Idempotency and storage in one statement: only events whose key was never seen before are stored.
        Stored stored = insert(ws, pending, now, source);
        List<Pending> store = new ArrayList<>();
        for (Pending e : pending) {
            if (e.key() != null && !stored.freshKeys().contains(e.key())) {
                results[e.index()] = new Bulk.ItemResult(e.index(), "unchanged", null, List.of());
            } else {
                store.add(e);
            }
        }
        List<Long> newIds = stored.ids();
        List<ActivityEvent> recorded = new ArrayList<>(store.size());
        for (int j = 0; j < store.size(); j++) {
            Pending e = store.get(j);
            results[e.index()] = new Bulk.ItemResult(e.index(), "created", newIds.get(j), List.of());
            recorded.add(new ActivityEvent(newIds.get(j), e.type(), e.contactId(), e.visitor(), e.at(), e.values(), source));
        }
        // Listeners react to what known contacts do; anonymous events wait for identify.
        List<ActivityEvent> ofContacts = recorded.stream().filter(e -> e.contactId() != null).toList();
        if (!ofContacts.isEmpty()) {
            publisher.publishEvent(new EventsRecorded(ws, ofContacts));
        }
        return Bulk.Result.of(List.of(results));
    }

    /**
     * Attaches a visitor, and every anonymous event it made so far, to a contact; those events are announced as
     * {@link EventsAttached} (the contact's event conditions may answer differently now).
     */
    @Transactional
    public int identify(WorkspaceId ws, String visitorId, long contactId) {
        if (visitorId == null || visitorId.isBlank() || visitorId.length() > 100) {
            throw new io.orbita.platform.ValidationException(FieldProblem.of("visitorId", "event.visitor", "visitorId must be 1 to 100 characters"));
        }
        jdbc.sql("""
                        insert into visitor (workspace_id, visitor_id, contact_id, identified_at) values (?, ?, ?, ?)
                        on conflict (workspace_id, visitor_id) do update set contact_id = excluded.contact_id,
                            identified_at = excluded.identified_at""")
                .params(ws.value(), visitorId, contactId, Timestamp.from(clock.instant())).update();
        List<ActivityEvent> attached = jdbc.sql("""
                        update activity_event set contact_id = ? where workspace_id = ? and visitor_id = ? and contact_id is null
                        returning id, type, contact_id, visitor_id, occurred_at, properties::text, source""")
                .params(contactId, ws.value(), visitorId)
                .query((rs, n) -> new ActivityEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), json.readValue(rs.getString(6), Map.class), rs.getString(7)))
                .list();
        Chunks.of(attached, EventsAttached.CHUNK).forEach(part -> publisher.publishEvent(new EventsAttached(ws, contactId, part)));
        return attached.size();
    }

    public List<ActivityEvent> ofContact(WorkspaceId ws, long contactId, Instant notAfter, int limit) {
        return jdbc.sql("""
                        select id, type, contact_id, visitor_id, occurred_at, properties::text, source from activity_event
                        where workspace_id = ? and contact_id = ? and occurred_at <= ?
                        order by occurred_at desc, id desc limit ?""")
                .params(ws.value(), contactId, Timestamp.from(notAfter), limit)
                .query((rs, n) -> new ActivityEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), json.readValue(rs.getString(6), Map.class), rs.getString(7)))
                .list();
    }

    private Map<String, Long> identified(WorkspaceId ws, Set<String> visitors) {
        Map<String, Long> out = new HashMap<>();
        if (!visitors.isEmpty()) {
            jdbc.sql("select visitor_id, contact_id from visitor where workspace_id = ? and visitor_id = any(?)")
                    .params(ws.value(), visitors.toArray(String[]::new))
                    .query((rs, n) -> out.put(rs.getString(1), rs.getLong(2))).list();
        }
        return out;
    }

    /**
     * Claims the rows' idempotency keys and inserts the events whose key is new (or absent), in one round trip.
     * Ids come from a sequence in insertion order, so the sorted ids line up with the stored rows as given.
     */
    private Stored insert(WorkspaceId ws, List<Pending> rows, Instant now, String source) {
        if (rows.isEmpty()) {
            return new Stored(Set.of(), List.of());
        }
        return jdbc.sql("""
                        with fresh as (
                            insert into activity_idempotency (workspace_id, key, created_at)
                            select ?, k, ? from unnest(cast(? as text[])) as k where k is not null
                            on conflict do nothing returning key),
                        stored as (
                            insert into activity_event (workspace_id, occurred_at, received_at, type, contact_id, visitor_id,
                                properties, source)
                            select ?, u.at, ?, u.type, u.contact_id, u.visitor, u.props::jsonb, ?
                            from unnest(cast(? as timestamptz[]), ?, cast(? as bigint[]), ?, ?, cast(? as text[]))
                                 with ordinality as u(at, type, contact_id, visitor, props, key, n)
                            where u.key is null or u.key in (select key from fresh)
                            order by u.n
                            returning id)
                        select (select coalesce(array_agg(key), '{}') from fresh),
                               (select coalesce(array_agg(id order by id), '{}') from stored)""")
                .params(ws.value(), Timestamp.from(now), rows.stream().map(Pending::key).toArray(String[]::new),
                        ws.value(), Timestamp.from(now), source,
                        rows.stream().map(r -> Timestamp.from(r.at())).toArray(Timestamp[]::new),
                        rows.stream().map(Pending::type).toArray(String[]::new),
                        rows.stream().map(Pending::contactId).toArray(Long[]::new),
                        rows.stream().map(Pending::visitor).toArray(String[]::new),
                        rows.stream().map(Pending::properties).toArray(String[]::new),
                        rows.stream().map(Pending::key).toArray(String[]::new))
                .query((rs, n) -> new Stored(Set.of((String[]) rs.getArray(1).getArray()),
                        List.of((Long[]) rs.getArray(2).getArray())))
                .single();
    }

    private record Stored(Set<String> freshKeys, List<Long> ids) {
    }

    /** @param properties the JSON as stored; @param values the same as a map, for listeners */
    private record Pending(int index, String type, Long contactId, String visitor, Instant at, String properties,
                           Map<String, Object> values, String key) {
    }
}
