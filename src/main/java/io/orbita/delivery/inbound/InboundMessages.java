package io.orbita.delivery.inbound;

import io.orbita.platform.Cursor;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Page;
import io.orbita.platform.WorkspaceId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The stored inbound messages of a workspace, and the soft-bounce log. */
@Repository
public class InboundMessages {

    /** One stored inbound message (without its raw bytes). */
    public record Stored(long id, Instant receivedAt, String channel, String envelopeFrom, String subject, String fromAddress,
                         String kind, Long messageId, Long contactId, JsonNode classification, JsonNode effects,
                         int rawSize, boolean truncated) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;

    InboundMessages(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    long insert(WorkspaceId ws, Instant at, String channel, String envelopeFrom, String envelopeTo, Classification c,
                Long messageId, Long contactId, List<String> effects, byte[] raw, int rawSize, boolean truncated) {
        return jdbc.sql("""
                        insert into inbound_message (workspace_id, received_at, channel, envelope_from, envelope_to, subject,
                            from_address, kind, message_id, contact_id, classification, effects, raw, raw_size, truncated)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?) returning id""")
                .params(ws == null ? null : ws.value(), Timestamp.from(at), channel, cut(envelopeFrom, 500), cut(envelopeTo, 2000),
                        cut(c.subject(), 1000), cut(c.from(), 500), c.kind().code(), messageId, contactId,
                        json.writeValueAsString(c), json.writeValueAsString(effects), raw, rawSize, truncated)
                .query(Long.class).single();
    }

    public Page<Stored> list(WorkspaceId ws, String kind, String cursor, int limit) {
        List<Stored> rows = jdbc.sql(SELECT + " " + """
                         where workspace_id = :ws and id < :after and (cast(:kind as text) is null or kind = :kind)
                         order by id desc limit :limit""")
                .param("ws", ws.value()).param("after", Cursor.decode(cursor))
                .param("kind", kind == null || kind.isBlank() ? null : kind).param("limit", limit + 1)
                .query(this::row).list();
        return Page.of(rows, limit, Stored::id);
    }

    public Stored get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(this::row).optional()
                .orElseThrow(() -> new NotFoundException("inbound message", id));
    }

    public byte[] raw(WorkspaceId ws, long id) {
        return jdbc.sql("select raw from inbound_message where workspace_id = ? and id = ?").params(ws.value(), id)
                .query(byte[].class).optional().orElseThrow(() -> new NotFoundException("inbound message", id));
    }

    /** Logs a soft bounce and answers how many the address had since {@code since}, this one included. */
    int softBounce(WorkspaceId ws, String address, Instant at, String reason, Long messageId, Instant since) {
        jdbc.sql("""
                        insert into soft_bounce (workspace_id, address, at, reason, message_id) values (?, ?, ?, ?, ?)
                        on conflict do nothing""")
                .params(ws.value(), address, Timestamp.from(at), reason, messageId).update();
        return jdbc.sql("select count(*) from soft_bounce where workspace_id = ? and address = ? and at >= ?")
                .params(ws.value(), address, Timestamp.from(since)).query(Integer.class).single();
    }

    private static final String SELECT = """
            select id, received_at, channel, envelope_from, subject, from_address, kind, message_id, contact_id,
                   classification::text as classification, effects::text as effects, raw_size, truncated
            from inbound_message""";

    private Stored row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        long msg = rs.getLong("message_id");
        Long messageId = rs.wasNull() ? null : msg;
        long contact = rs.getLong("contact_id");
        Long contactId = rs.wasNull() ? null : contact;
        return new Stored(rs.getLong("id"), rs.getTimestamp("received_at").toInstant(), rs.getString("channel"),
                rs.getString("envelope_from"), rs.getString("subject"), rs.getString("from_address"), rs.getString("kind"),
                messageId, contactId, json.readTree(rs.getString("classification")), json.readTree(rs.getString("effects")),
                rs.getInt("raw_size"), rs.getBoolean("truncated"));
    }

    private static String cut(String s, int max) {
        return s == null ? null : s.length() > max ? s.substring(0, max) : s;
    }
}
