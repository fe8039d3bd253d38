package io.orbita.workspace;

import io.orbita.platform.Cursor;
import io.orbita.platform.Page;
import io.orbita.platform.WorkspaceId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who changed what, per workspace. Written in the same transaction as the change it describes, so the log never
 * claims a change that was rolled back, nor misses one that was committed.
 */
@Service
public class AuditLog {

    /** One recorded change. {@code details} holds the changed fields (never secrets). */
    public record Entry(long id, Instant at, String actor, String action, String entityType, String entityId,
                        @com.fasterxml.jackson.annotation.JsonRawValue String details) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final JsonMapper json;

    AuditLog(JdbcClient jdbc, Clock clock, JsonMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.json = json;
    }

    public void record(OrbitaPrincipal who, String action, String entityType, Object entityId, Map<String, ?> details) {
        record(who.workspace(), who.actor(), action, entityType, entityId, details);
    }

    public void record(WorkspaceId workspace, String actor, String action, String entityType, Object entityId,
                       Map<String, ?> details) {
        jdbc.sql("""
                        insert into audit_log (workspace_id, at, actor, action, entity_type, entity_id, details)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb)""")
                .params(workspace.value(), Timestamp.from(clock.instant()), actor, action, entityType,
                        entityId == null ? null : entityId.toString(), json.writeValueAsString(details == null ? Map.of() : details))
                .update();
    }

    public Page<Entry> list(WorkspaceId workspace, String entityType, String cursor, int limit) {
        List<Entry> rows = jdbc.sql("""
                        select id, at, actor, action, entity_type, entity_id, details::text as details
                        from audit_log
                        where workspace_id = :ws and id < :after and (cast(:type as text) is null or entity_type = :type)
                        order by id desc limit :limit""")
                .param("ws", workspace.value())
                .param("after", Cursor.decode(cursor))
                .param("type", entityType == null || entityType.isBlank() ? null : entityType)
                .param("limit", limit + 1)
                .query((rs, n) -> new Entry(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                        rs.getString("action"), rs.getString("entity_type"), rs.getString("entity_id"), rs.getString("details")))
                .list();
        return Page.of(rows, limit, Entry::id);
    }
}
