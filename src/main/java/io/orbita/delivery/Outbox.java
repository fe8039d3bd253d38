package io.orbita.delivery;

import io.orbita.audience.Contact;
import io.orbita.audience.Contacts;
import io.orbita.content.Templates;
import io.orbita.delivery.internal.OutboxStore;
import io.orbita.delivery.internal.Wakeup;
import io.orbita.delivery.mime.MailAddress;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Problems;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.Members;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where every letter goes to be sent: the transactional API, test sends, campaigns and journeys put messages here, and
 * the workers of every node send them. A message is accepted (validated, its sender chosen) at once and sent
 * asynchronously; its state tells what became of it.
 */
@Service
public class Outbox {

    public static final List<String> STATES = List.of("queued", "sending", "sent", "deferred", "failed", "bounced",
            "complained", "suppressed", "cancelled");

    /**
     * A message to send: to a contact ({@code contactId}) or a bare address ({@code to}); a saved template or inline
     * Liquid ({@code subject} + {@code html}, optional {@code text}); the sender is {@code fromEmail} when given, else the
     * contact's personal manager, else the acting user.
     */
    public record NewMessage(Long contactId, String to, String kind, Long templateId, String subject, String html,
                             String text, Map<String, Object> data, String fromName, String fromEmail, String replyTo,
                             String idempotencyKey) {
    }

    /** The answer to an enqueue: the message and whether it was new (false: the idempotency key was seen before). */
    public record Queued(long id, String status, boolean created) {
    }

    /** A message as the API and the pages show it. */
    public record Message(long id, Long contactId, String recipient, String kind, String status, Long templateId,
                          String from, int attempts, Instant nextAttemptAt, String lastSmtpAnswer, String relay,
                          String messageId, Instant createdAt, Instant updatedAt, Instant sentAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Contacts contacts;
    private final Members members;
    private final Templates templates;
    private final Wakeup wakeup;
    private final JsonMapper json;

    Outbox(JdbcClient jdbc, Clock clock, Contacts contacts, Members members, Templates templates, Wakeup wakeup, JsonMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.contacts = contacts;
        this.members = members;
        this.templates = templates;
        this.wakeup = wakeup;
        this.json = json;
    }

    /**
     * Validates and queues a message. With an idempotency key seen before in this workspace, nothing new is queued and
     * the earlier message is answered.
     *
     * @param actingUserId the user on whose behalf it is sent (the fallback sender), may be null
     * @throws io.orbita.platform.ValidationException naming every problem of the input
     */
    @Transactional
    public Queued enqueue(WorkspaceId ws, Long actingUserId, NewMessage m) {
        Problems problems = new Problems();
        if (m.idempotencyKey() != null) {
            if (m.idempotencyKey().isBlank() || m.idempotencyKey().length() > 200) {
                problems.add("idempotencyKey", "message.idempotencyKey", "idempotencyKey must be 1 to 200 characters");
            } else {
                Optional<Queued> earlier = byKey(ws, m.idempotencyKey());
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
        }
        String kind = m.kind() == null ? "transactional" : m.kind().strip().toLowerCase(java.util.Locale.ROOT);
        if (!kind.equals("transactional") && !kind.equals("marketing")) {
            problems.add("kind", "message.kind", "kind must be transactional or marketing");
        }
        Contact contact = null;
        String recipient = null;
        if ((m.contactId() == null) == (m.to() == null || m.to().isBlank())) {
            problems.add("to", "message.recipient", "give exactly one of contactId and to");
        } else if (m.contactId() != null) {
            contact = contacts.exists(ws, m.contactId()) ? contacts.get(ws, m.contactId()) : null;
            if (contact == null) {
                problems.add("contactId", "message.contact", "no contact " + m.contactId() + " in this workspace");
            } else {
                recipient = contact.email();
            }
        } else {
            recipient = m.to().strip();
        }
        if (recipient != null) {
            try {
                MailAddress.of(null, recipient);
            } catch (IllegalArgumentException e) {
                problems.add(m.contactId() != null ? "contactId" : "to", "message.address", "cannot send to this address: " + e.getMessage());
            }
        }
        if (m.templateId() != null) {
            if (m.subject() != null || m.html() != null || m.text() != null) {
                problems.add("templateId", "message.source", "give either templateId or subject/html/text, not both");
            }
            try {
                templates.get(ws, m.templateId());
            } catch (NotFoundException e) {
                problems.add("templateId", "message.template", "no template " + m.templateId() + " in this workspace");
            }
        } else {
            if (m.subject() == null || m.subject().isBlank()) {
                problems.add("subject", "message.subject", "subject is required without templateId");
            }
            if ((m.html() == null || m.html().isBlank()) && (m.text() == null || m.text().isBlank())) {
                problems.add("html", "message.body", "html or text is required without templateId");
            }
        }
        String fromName = m.fromName();
        String fromEmail = m.fromEmail();
        if (fromEmail == null || fromEmail.isBlank()) {
            Optional<Members.Member> sender = Optional.empty();
            if (contact != null && contact.managerId() != null) {
                sender = members.find(ws, contact.managerId());
            }
            if (sender.isEmpty() && actingUserId != null) {
                sender = members.find(ws, actingUserId);
            }
            if (sender.isPresent()) {
                fromEmail = sender.get().email();
                fromName = fromName == null ? sender.get().displayName() : fromName;
            } else {
                problems.add("fromEmail", "message.from", "fromEmail is required: the contact has no personal manager to send from");
            }
        }
        if (fromEmail != null && !fromEmail.isBlank()) {
            try {
                MailAddress.of(fromName, fromEmail);
            } catch (IllegalArgumentException e) {
                problems.add("fromEmail", "message.from", "invalid sender: " + e.getMessage());
            }
        }
        if (m.replyTo() != null) {
            try {
                MailAddress.of(null, m.replyTo());
            } catch (IllegalArgumentException e) {
                problems.add("replyTo", "message.replyTo", "invalid replyTo: " + e.getMessage());
            }
        }
        problems.throwIfAny();

        Instant now = clock.instant();
        Long id = jdbc.sql("""
                insert into outbox_message (workspace_id, contact_id, recipient, kind, state, template_id, subject, html,
                    text_body, data, from_name, from_address, reply_to, idempotency_key, next_attempt_at, created_at, updated_at)
                values (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
                on conflict (workspace_id, idempotency_key) where idempotency_key is not null do nothing
                returning id""")
                .params(ws.value(), contact == null ? null : contact.id(), recipient, kind, m.templateId(), m.subject(),
                        m.html(), m.text(), json.writeValueAsString(m.data() == null ? Map.of() : m.data()),
                        fromName == null ? "" : fromName, fromEmail.strip(), m.replyTo(), m.idempotencyKey(),
                        Timestamp.from(now), Timestamp.from(now), Timestamp.from(now))
                .query(Long.class).optional().orElse(null);
        if (id == null) {
            // Another request with the same key won the race.
            return byKey(ws, m.idempotencyKey()).orElseThrow();
        }
        wakeup.signal();
        return new Queued(id, "queued", true);
    }

    /**
     * A message for {@link #enqueueBatch}: the caller (a campaign) has already chosen the recipient's address and the
     * sender, so nothing is looked up per message. A saved template may go with a Liquid {@code subject} and/or
     * {@code preheader} replacing the template's own (the template's layout and body stay); {@code notBefore} holds
     * the message in the queue until then (null: at once).
     *
     * @param contactId the contact, or null for a bare address
     */
    public record BatchMessage(Long contactId, String to, String kind, long templateId, String subject, String preheader,
                               Map<String, Object> data, String fromName, String fromEmail, String idempotencyKey,
                               Instant notBefore) {
    }

    /** A batch message's outcome, in the order given: the message, or why it was refused ({@code id} null). */
    public record BatchResult(Long id, boolean created, String problem) {
    }

    /**
     * Queues many messages with one multi-row insert: what a campaign of a million recipients needs (one statement
     * per batch instead of several per message). Each message is checked on its own (addresses, kind, idempotency
     * key); a refused one does not stop the others. With an idempotency key seen before the earlier message is
     * answered ({@code created} false). A message to a contact deleted meanwhile is refused.
     */
    @Transactional
    public List<BatchResult> enqueueBatch(WorkspaceId ws, List<BatchMessage> batch) {
        int n = batch.size();
        BatchResult[] out = new BatchResult[n];
        List<Integer> ok = new java.util.ArrayList<>();
        Map<String, Integer> keys = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            BatchMessage m = batch.get(i);
            String problem = null;
            String kind = m.kind() == null ? "" : m.kind();
            if (!kind.equals("transactional") && !kind.equals("marketing")) {
                problem = "kind must be transactional or marketing";
            } else if (m.to() == null || m.to().isBlank()) {
                problem = "no recipient address";
            } else if (m.idempotencyKey() == null || m.idempotencyKey().isBlank() || m.idempotencyKey().length() > 200
                    || keys.containsKey(m.idempotencyKey())) {
                problem = "a batch message needs its own idempotencyKey of 1 to 200 characters";
            } else if (m.fromEmail() == null || m.fromEmail().isBlank()) {
                problem = "no sender";
            } else {
                try {
                    MailAddress.of(null, m.to().strip());
                    MailAddress.of(m.fromName(), m.fromEmail().strip());
                } catch (IllegalArgumentException e) {
                    problem = "cannot send: " + e.getMessage();
                }
            }
            if (problem != null) {
                out[i] = new BatchResult(null, false, problem);
            } else {
                ok.add(i);
                keys.put(m.idempotencyKey(), i);
            }
        }
        if (!ok.isEmpty()) {
            int k = ok.size();
            Long[] contact = new Long[k], template = new Long[k];
            String[] to = new String[k], kind = new String[k], subject = new String[k], preheader = new String[k],
                    data = new String[k], fromName = new String[k], fromEmail = new String[k], key = new String[k],
                    notBefore = new String[k];
            Instant now = clock.instant();
            for (int j = 0; j < k; j++) {
                BatchMessage m = batch.get(ok.get(j));
                contact[j] = m.contactId();
                to[j] = m.to().strip();
                kind[j] = m.kind();
                template[j] = m.templateId();
                subject[j] = m.subject();
                preheader[j] = m.preheader();
                data[j] = json.writeValueAsString(m.data() == null ? Map.of() : m.data());
                fromName[j] = m.fromName() == null ? "" : m.fromName();
                fromEmail[j] = m.fromEmail().strip();
                key[j] = m.idempotencyKey();
                notBefore[j] = (m.notBefore() == null || m.notBefore().isBefore(now) ? now : m.notBefore()).toString();
            }
            Map<String, Long> created = new java.util.HashMap<>();
            // Text arrays for timestamps and JSON: the driver binds text and bigint arrays natively.
            jdbc.sql("""
                    insert into outbox_message (workspace_id, contact_id, recipient, kind, state, template_id, subject,
                        preheader, data, from_name, from_address, idempotency_key, next_attempt_at, created_at, updated_at)
                    select ?, u.contact_id, u.recipient, u.kind, 'queued', u.template_id, u.subject, u.preheader,
                           u.data::jsonb, u.from_name, u.from_address, u.key, u.not_before::timestamptz, ?, ?
                    from unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],
                                ?::text[], ?::text[], ?::text[])
                         as u(contact_id, recipient, kind, template_id, subject, preheader, data, from_name, from_address,
                              key, not_before)
                    where u.contact_id is null
                       or exists (select 1 from contact c where c.workspace_id = ? and c.id = u.contact_id)
                    on conflict (workspace_id, idempotency_key) where idempotency_key is not null do nothing
                    returning id, idempotency_key""")
                    .params(ws.value(), Timestamp.from(now), Timestamp.from(now), contact, to, kind, template, subject,
                            preheader, data, fromName, fromEmail, key, notBefore, ws.value())
                    .query((rs, r) -> created.put(rs.getString(2), rs.getLong(1))).list();
            Map<String, Long> earlier = new java.util.HashMap<>();
            if (created.size() < k) {
                List<String> missing = java.util.Arrays.stream(key).filter(x -> !created.containsKey(x)).toList();
                jdbc.sql("select id, idempotency_key from outbox_message where workspace_id = ? and idempotency_key = any(?::text[])")
                        .params(ws.value(), missing.toArray(String[]::new))
                        .query((rs, r) -> earlier.put(rs.getString(2), rs.getLong(1))).list();
            }
            for (int j = 0; j < k; j++) {
                Long id = created.get(key[j]);
                out[ok.get(j)] = id != null ? new BatchResult(id, true, null)
                        : earlier.containsKey(key[j]) ? new BatchResult(earlier.get(key[j]), false, null)
                        : new BatchResult(null, false, "no contact " + contact[j] + " in this workspace");
            }
            if (!created.isEmpty()) {
                wakeup.signal();
            }
        }
        return List.of(out);
    }

    private Optional<Queued> byKey(WorkspaceId ws, String key) {
        return jdbc.sql("select id, state from outbox_message where workspace_id = ? and idempotency_key = ?")
                .params(ws.value(), key).query((rs, n) -> new Queued(rs.getLong(1), rs.getString(2), false)).optional();
    }

    public Message get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(Outbox::map)
                .optional().orElseThrow(() -> new NotFoundException("message", id));
    }

    /** The exact bytes handed to the relay; empty while the message has not been built yet (or was suppressed). */
    public Optional<byte[]> raw(WorkspaceId ws, long id) {
        get(ws, id);
        return jdbc.sql("select raw_gz from outbox_message where workspace_id = ? and id = ? and raw_gz is not null")
                .params(ws.value(), id).query(byte[].class).optional().map(OutboxStore::gunzip);
    }

    /** Messages per state, every state present (zero when none). */
    public Map<String, Long> counts(WorkspaceId ws) {
        Map<String, Long> counts = new LinkedHashMap<>();
        STATES.forEach(s -> counts.put(s, 0L));
        jdbc.sql("select state, count(*) from outbox_message where workspace_id = ? group by state").param(ws.value())
                .query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2))).list();
        return counts;
    }

    /** The latest messages in the given states, newest first. */
    public List<Message> recent(WorkspaceId ws, List<String> states, int limit) {
        return jdbc.sql(SELECT + " where workspace_id = :ws and state in (:states) order by updated_at desc, id desc limit :limit")
                .param("ws", ws.value()).param("states", states).param("limit", limit).query(Outbox::map).list();
    }

    private static final String SELECT = """
            select id, contact_id, recipient, kind, state, template_id, from_name, from_address, attempts, next_attempt_at,
                   last_answer, relay, message_id, created_at, updated_at, sent_at from outbox_message""";

    private static Message map(ResultSet rs, int n) throws SQLException {
        String name = rs.getString("from_name");
        String from = (name == null || name.isBlank() ? "" : name + " ") + "<" + rs.getString("from_address") + ">";
        String state = rs.getString("state");
        return new Message(rs.getLong("id"), rs.getObject("contact_id", Long.class), rs.getString("recipient"),
                rs.getString("kind"), state, rs.getObject("template_id", Long.class), from, rs.getInt("attempts"),
                state.equals("queued") || state.equals("deferred") ? instant(rs, "next_attempt_at") : null,
                rs.getString("last_answer"), rs.getString("relay"), rs.getString("message_id"),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "sent_at"));
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }
}
