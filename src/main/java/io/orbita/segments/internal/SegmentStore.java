package io.orbita.segments.internal;

import io.orbita.platform.WorkspaceId;
import io.orbita.segments.Segment;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Rows of {@code segment}; every statement is scoped by workspace. */
@Repository
public class SegmentStore {

    private static final String COLUMNS = "id, kind, name, description, rule::text, built_in, size, refreshed_at, created_at, updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    SegmentStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<Segment> find(WorkspaceId ws, long id) {
        return jdbc.sql("select " + COLUMNS + " from segment where workspace_id = ? and id = ?").params(ws.value(), id)
                .query(this::map).optional();
    }

    public List<Segment> list(WorkspaceId ws, String kind, long after, int limit) {
        return jdbc.sql("select " + COLUMNS + " from segment where workspace_id = ? and kind = ? and id < ? order by id desc limit ?")
                .params(ws.value(), kind, after, limit).query(this::map).list();
    }

    public List<Segment> rules(WorkspaceId ws) {
        return jdbc.sql("select " + COLUMNS + " from segment where workspace_id = ? and kind = 'rule' order by id")
                .params(ws.value()).query(this::map).list();
    }

    public long insert(WorkspaceId ws, String kind, String name, String description, JsonNode rule, String builtIn, Instant now) {
        return jdbc.sql("""
                        insert into segment (workspace_id, kind, name, description, rule, built_in, created_at, updated_at)
                        values (?, ?, ?, ?, cast(? as jsonb), ?, ?, ?) returning id""")
                .params(ws.value(), kind, name, description, rule == null ? null : rule.toString(), builtIn,
                        Timestamp.from(now), Timestamp.from(now))
                .query(Long.class).single();
    }

    public void update(WorkspaceId ws, long id, String name, String description, JsonNode rule, Instant now) {
        jdbc.sql("update segment set name = ?, description = ?, rule = cast(? as jsonb), updated_at = ? where workspace_id = ? and id = ?")
                .params(name, description, rule == null ? null : rule.toString(), Timestamp.from(now), ws.value(), id).update();
    }

    public void delete(WorkspaceId ws, long id) {
        jdbc.sql("delete from segment where workspace_id = ? and id = ?").params(ws.value(), id).update();
    }

    /** Ids of segments whose rule mentions the given segment or list (membership conditions). */
    public List<Long> referencing(WorkspaceId ws, long id) {
        return jdbc.sql("select id from segment where workspace_id = ? and kind = 'rule' and jsonb_path_exists(rule, "
                        + "'$.** ? (@.type == \"segment\" && @.segment == $id)', jsonb_build_object('id', ?::bigint))")
                .params(ws.value(), id).query(Long.class).list();
    }

    private Segment map(ResultSet rs, int n) throws SQLException {
        String rule = rs.getString(5);
        Timestamp refreshed = rs.getTimestamp(8);
        return new Segment(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rule == null ? null : json.readTree(rule), rs.getString(6), rs.getLong(7),
                refreshed == null ? null : refreshed.toInstant(), rs.getTimestamp(9).toInstant(), rs.getTimestamp(10).toInstant());
    }
}
