package io.orbita.content;

import io.orbita.content.internal.LiquidLetters;
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
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reusable Liquid pieces of a workspace ("your personal manager" block, a product card, a signature), included by
 * name. They are the only thing {@code include} and {@code render} can reach.
 */
@Service
public class Snippets {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_\\-]{0,63}");

    private final JdbcClient jdbc;
    private final LiquidLetters letters;
    private final AuditLog audit;
    private final Clock clock;

    Snippets(JdbcClient jdbc, LiquidLetters letters, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.letters = letters;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Snippet> list(WorkspaceId ws) {
        return jdbc.sql(SELECT + " where workspace_id = ? order by name").param(ws.value()).query(Snippets::map).list();
    }

    public Snippet get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(Snippets::map)
                .optional().orElseThrow(() -> new NotFoundException("snippet", id));
    }

    public java.util.Optional<Snippet> findByName(WorkspaceId ws, String name) {
        return jdbc.sql(SELECT + " where workspace_id = ? and name = ?").params(ws.value(), name).query(Snippets::map).optional();
    }

    @Transactional
    public Snippet create(OrbitaPrincipal by, String name, String body) {
        check(by.workspace(), name, body, null);
        Instant now = clock.instant();
        long id = jdbc.sql("insert into content_snippet (workspace_id, name, body, created_at, updated_at) values (?, ?, ?, ?, ?) returning id")
                .params(by.workspace().value(), name.strip(), body, Timestamp.from(now), Timestamp.from(now))
                .query(Long.class).single();
        audit.record(by, "snippet.created", "snippet", id, Map.of("name", name.strip()));
        return get(by.workspace(), id);
    }

    @Transactional
    public Snippet update(OrbitaPrincipal by, long id, String name, String body) {
        get(by.workspace(), id);
        check(by.workspace(), name, body, id);
        jdbc.sql("update content_snippet set name = ?, body = ?, updated_at = ? where workspace_id = ? and id = ?")
                .params(name.strip(), body, Timestamp.from(clock.instant()), by.workspace().value(), id).update();
        audit.record(by, "snippet.updated", "snippet", id, Map.of("name", name.strip()));
        return get(by.workspace(), id);
    }

    @Transactional
    public void delete(OrbitaPrincipal by, long id) {
        Snippet s = get(by.workspace(), id);
        jdbc.sql("delete from content_snippet where workspace_id = ? and id = ?").params(by.workspace().value(), id).update();
        audit.record(by, "snippet.deleted", "snippet", id, Map.of("name", s.name()));
    }

    private void check(WorkspaceId ws, String name, String body, Long self) {
        Problems p = new Problems();
        if (name == null || name.isBlank()) {
            p.add("name", "field.required", "name is required");
        } else if (!NAME.matcher(name.strip()).matches()) {
            p.add("name", "snippet.name", "name may use lower-case latin letters, digits, _ and - (up to 64), e.g. manager_block");
        } else if (jdbc.sql("select count(*) from content_snippet where workspace_id = ? and name = ? and id <> ?")
                .params(ws.value(), name.strip(), self == null ? -1L : self).query(Long.class).single() > 0) {
            p.add("name", "name.taken", "a snippet with this name already exists");
        }
        if (body == null) {
            p.add("body", "field.required", "body is required");
        }
        p.throwIfAny();
        try {
            letters.checkSnippet(ws, body);
        } catch (io.orbita.platform.ValidationException e) {
            throw new io.orbita.platform.ValidationException(e.problems().stream()
                    .map(x -> new FieldProblem("body", x.code(), x.message().replaceFirst("^html", "body"), x.args())).toList());
        }
    }

    private static final String SELECT = "select id, name, body, created_at, updated_at from content_snippet";

    private static Snippet map(ResultSet rs, int n) throws SQLException {
        return new Snippet(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant());
    }
}
