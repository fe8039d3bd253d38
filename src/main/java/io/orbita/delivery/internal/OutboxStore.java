package io.orbita.delivery.internal;

import io.orbita.platform.WorkspaceId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The outbox table: claims with a lease, and the state changes of an attempt. */
@Repository
public class OutboxStore {

    /** A claimed row: what the worker needs to build and send it. */
    public record Claimed(WorkspaceId workspace, long id, Long contactId, String recipient, String kind, Long templateId,
                          String subject, String html, String text, String dataJson, String fromName,
                          String fromAddress, String replyTo, int attempts, byte[] rawGz, String envelopeFrom,
                          String preheader) {

        /** Without a preheader override (the template's own preheader applies). */
        public Claimed(WorkspaceId workspace, long id, Long contactId, String recipient, String kind, Long templateId,
                       String subject, String html, String text, String dataJson, String fromName, String fromAddress,
                       String replyTo, int attempts, byte[] rawGz, String envelopeFrom) {
            this(workspace, id, contactId, recipient, kind, templateId, subject, html, text, dataJson, fromName,
                    fromAddress, replyTo, attempts, rawGz, envelopeFrom, null);
        }

        public boolean marketing() {
            return kind.equals("marketing");
        }
    }

    private final JdbcClient jdbc;

    OutboxStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims up to {@code limit} due messages of any workspace for {@code lease}: queued or deferred ones whose time has
     * come, and ones left in {@code sending} by a node that died (their lease ran out). SKIP LOCKED lets several nodes
     * claim side by side without waiting for or taking each other's rows.
     */
    public List<Claimed> claim(String node, int limit, Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                with due as (
                    select workspace_id, id from outbox_message
                    where state in ('queued', 'deferred') and next_attempt_at <= :now
                    order by next_attempt_at limit :limit for update skip locked),
                abandoned as (
                    select workspace_id, id from outbox_message
                    where state = 'sending' and claimed_until < :now
                    order by claimed_until limit :limit for update skip locked)
                update outbox_message m
                set state = 'sending', claimed_until = :lease, claimed_by = :node, updated_at = :now
                from (select * from due union select * from abandoned) due where m.workspace_id = due.workspace_id and m.id = due.id
                returning m.workspace_id, m.id, m.contact_id, m.recipient, m.kind, m.template_id, m.subject, m.html,
                          m.text_body, m.data::text as data, m.from_name, m.from_address, m.reply_to, m.attempts,
                          m.raw_gz, m.envelope_from, m.preheader""")
                .param("now", Timestamp.from(now)).param("limit", limit).param("lease", Timestamp.from(leaseUntil))
                .param("node", node)
                .query(OutboxStore::claimed).list();
    }

    private static Claimed claimed(ResultSet rs, int n) throws SQLException {
        return new Claimed(WorkspaceId.of(rs.getLong("workspace_id")), rs.getLong("id"), rs.getObject("contact_id", Long.class),
                rs.getString("recipient"), rs.getString("kind"), rs.getObject("template_id", Long.class),
                rs.getString("subject"), rs.getString("html"), rs.getString("text_body"), rs.getString("data"),
                rs.getString("from_name"), rs.getString("from_address"), rs.getString("reply_to"), rs.getInt("attempts"),
                rs.getBytes("raw_gz"), rs.getString("envelope_from"), rs.getString("preheader"));
    }

    /** A message built for its first attempt: kept with the attempt's outcome, so every retry sends the same bytes. */
    public record BuiltMessage(byte[] raw, String messageId, String envelopeFrom) {
    }

    /**
     * The outcome of an attempt (sent, deferred or failed), with the message's bytes when they were built for it; only a
     * row still claimed (in {@code sending}) changes. A node that dies between the relay's answer and this update leaves
     * the row to be claimed again after its lease: that message may go twice, none is lost.
     */
    public void attempted(WorkspaceId ws, long id, String state, String relay, String answer, Instant next, Instant now,
                          BuiltMessage built) {
        jdbc.sql("""
                update outbox_message set state = ?, attempts = attempts + 1, relay = ?, last_answer = ?,
                    next_attempt_at = coalesce(?, next_attempt_at), updated_at = ?, claimed_until = null,
                    sent_at = case when ? = 'sent' then ? else sent_at end,
                    raw_gz = coalesce(?, raw_gz), message_id = coalesce(?, message_id), envelope_from = coalesce(?, envelope_from)
                where workspace_id = ? and id = ? and state = 'sending'""")
                .params(state, relay, clip(answer), next == null ? null : Timestamp.from(next), Timestamp.from(now),
                        state, Timestamp.from(now), built == null ? null : gzip(built.raw()),
                        built == null ? null : built.messageId(), built == null ? null : built.envelopeFrom(),
                        ws.value(), id).update();
    }

    /**
     * A state change of one claimed row, to be written with others in one statement ({@link #apply}): an attempt's
     * outcome ({@code attempt}: counted, as {@link #attempted}) or a new state without an attempt (as {@link #settle}).
     */
    public record Update(WorkspaceId ws, long id, boolean attempt, String state, String relay, String answer, Instant next,
                         Instant now, BuiltMessage built) {
    }

    /**
     * Writes many state changes in one UPDATE (one round trip and one commit instead of one per message); like
     * {@link #attempted} and {@link #settle}, only rows still in {@code sending} change.
     */
    public void apply(List<Update> updates) {
        if (updates.isEmpty()) {
            return;
        }
        int n = updates.size();
        Long[] ws = new Long[n];
        Long[] ids = new Long[n];
        Boolean[] attempt = new Boolean[n];
        String[] state = new String[n], relay = new String[n], answer = new String[n], next = new String[n], now = new String[n],
                raw = new String[n], messageId = new String[n], envelope = new String[n];
        java.util.HexFormat hex = java.util.HexFormat.of();
        for (int i = 0; i < n; i++) {
            Update u = updates.get(i);
            ws[i] = u.ws().value();
            ids[i] = u.id();
            attempt[i] = u.attempt();
            state[i] = u.state();
            relay[i] = u.relay();
            answer[i] = clip(u.answer());
            next[i] = u.next() == null ? null : u.next().toString();
            now[i] = u.now().toString();
            // Hex through text[]: the driver binds text and bigint arrays natively, bytea arrays not reliably.
            raw[i] = u.built() == null ? null : hex.formatHex(gzip(u.built().raw()));
            messageId[i] = u.built() == null ? null : u.built().messageId();
            envelope[i] = u.built() == null ? null : u.built().envelopeFrom();
        }
        jdbc.sql("""
                update outbox_message m set state = u.state,
                    attempts = m.attempts + case when u.attempt then 1 else 0 end,
                    relay = case when u.attempt then u.relay else m.relay end,
                    last_answer = case when u.attempt then u.answer else coalesce(u.answer, m.last_answer) end,
                    next_attempt_at = coalesce(u.next_at::timestamptz, m.next_attempt_at), updated_at = u.now::timestamptz,
                    claimed_until = null,
                    sent_at = case when u.attempt and u.state = 'sent' then u.now::timestamptz else m.sent_at end,
                    raw_gz = coalesce(decode(u.raw_hex, 'hex'), m.raw_gz), message_id = coalesce(u.message_id, m.message_id),
                    envelope_from = coalesce(u.envelope_from, m.envelope_from)
                from unnest(?::bigint[], ?::bigint[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[], ?::text[], ?::text[])
                     as u(ws, id, attempt, state, relay, answer, next_at, now, raw_hex, message_id, envelope_from)
                where m.workspace_id = u.ws and m.id = u.id and m.state = 'sending'""")
                .params(ws, ids, attempt, state, relay, answer, next, now, raw, messageId, envelope).update();
    }

    /** Not attempted (relays paused, rate limits, suppression): a new state without counting an attempt. */
    public void settle(WorkspaceId ws, long id, String state, String answer, Instant next, Instant now, BuiltMessage built) {
        jdbc.sql("""
                update outbox_message set state = ?, last_answer = coalesce(?, last_answer),
                    next_attempt_at = coalesce(?, next_attempt_at), updated_at = ?, claimed_until = null,
                    raw_gz = coalesce(?, raw_gz), message_id = coalesce(?, message_id), envelope_from = coalesce(?, envelope_from)
                where workspace_id = ? and id = ? and state = 'sending'""")
                .params(state, answer == null ? null : clip(answer), next == null ? null : Timestamp.from(next),
                        Timestamp.from(now), built == null ? null : gzip(built.raw()),
                        built == null ? null : built.messageId(), built == null ? null : built.envelopeFrom(),
                        ws.value(), id).update();
    }

    private static String clip(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public static byte[] gunzip(byte[] gz) {
        try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return z.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
