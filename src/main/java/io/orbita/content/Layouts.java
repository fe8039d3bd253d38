package io.orbita.content;

import io.orbita.content.internal.LiquidLetters;
import io.orbita.platform.ConflictException;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Problems;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Brand layouts of a workspace: header, footer and styles around a {@code {{ content }}} slot. */
@Service
public class Layouts {

    private final JdbcClient jdbc;
    private final LiquidLetters letters;
    private final AuditLog audit;
    private final Clock clock;

    Layouts(JdbcClient jdbc, LiquidLetters letters, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.letters = letters;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Layout> list(WorkspaceId ws) {
        return jdbc.sql(SELECT + " where workspace_id = ? order by lower(name), id").param(ws.value()).query(Layouts::map).list();
    }

    public Layout get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(Layouts::map)
                .optional().orElseThrow(() -> new NotFoundException("layout", id));
    }

    @Transactional
    public Layout create(OrbitaPrincipal by, String name, String html) {
        check(by.workspace(), name, html, null);
        Instant now = clock.instant();
        long id = jdbc.sql("insert into content_layout (workspace_id, name, html, created_at, updated_at) values (?, ?, ?, ?, ?) returning id")
                .params(by.workspace().value(), name.strip(), html, Timestamp.from(now), Timestamp.from(now))
                .query(Long.class).single();
        audit.record(by, "layout.created", "layout", id, Map.of("name", name.strip()));
        return get(by.workspace(), id);
    }

    @Transactional
    public Layout update(OrbitaPrincipal by, long id, String name, String html) {
        get(by.workspace(), id);
        check(by.workspace(), name, html, id);
        jdbc.sql("update content_layout set name = ?, html = ?, updated_at = ? where workspace_id = ? and id = ?")
                .params(name.strip(), html, Timestamp.from(clock.instant()), by.workspace().value(), id).update();
        audit.record(by, "layout.updated", "layout", id, Map.of("name", name.strip()));
        return get(by.workspace(), id);
    }

    @Transactional
    public void delete(OrbitaPrincipal by, long id) {
        Layout l = get(by.workspace(), id);
        Long users = jdbc.sql("select count(*) from content_template where workspace_id = ? and layout_id = ?")
                .params(by.workspace().value(), id).query(Long.class).single();
        if (users > 0) {
            throw new ConflictException(FieldProblem.of("id", "layout.inUse", "the layout is used by " + users + " templates", users));
        }
        jdbc.sql("delete from content_layout where workspace_id = ? and id = ?").params(by.workspace().value(), id).update();
        audit.record(by, "layout.deleted", "layout", id, Map.of("name", l.name()));
    }

    private void check(WorkspaceId ws, String name, String html, Long self) {
        Problems p = new Problems();
        if (name == null || name.isBlank()) {
            p.add("name", "field.required", "name is required");
        } else if (name.strip().length() > 200) {
            p.add("name", "field.tooLong", "name must be at most 200 characters", 200);
        } else if (jdbc.sql("select count(*) from content_layout where workspace_id = ? and lower(name) = lower(?) and id <> ?")
                .params(ws.value(), name.strip(), self == null ? -1L : self).query(Long.class).single() > 0) {
            p.add("name", "name.taken", "a layout with this name already exists");
        }
        if (html == null || html.isBlank()) {
            p.add("html", "field.required", "html is required");
        } else if (!letters.hasContentSlot(html)) {
            p.add("html", "layout.noSlot", "a layout needs a {{ content }} slot where the letter goes");
        }
        p.throwIfAny();
        try {
            letters.checkLayout(ws, html);
        } catch (io.orbita.platform.ValidationException e) {
            throw new io.orbita.platform.ValidationException(e.problems().stream()
                    .map(x -> new FieldProblem("html", x.code(), x.message(), x.args())).toList());
        }
    }

    private static final String SELECT = "select id, name, html, created_at, updated_at from content_layout";

    private static Layout map(ResultSet rs, int n) throws SQLException {
        return new Layout(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant());
    }

}
