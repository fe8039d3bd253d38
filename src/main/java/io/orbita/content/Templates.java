package io.orbita.content;

import io.orbita.content.internal.LiquidLetters;
import io.orbita.platform.Cursor;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Page;
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

/**
 * The templates of a workspace. Every save is checked (the Liquid must parse and render with sample data) and makes a
 * new version; restoring an old version saves it again as the newest, so history only grows.
 */
@Service
public class Templates {

    public static final int MAX_PAGE = 200;
    static final int MAX_NAME = 200;

    private final JdbcClient jdbc;
    private final LiquidLetters letters;
    private final AuditLog audit;
    private final Clock clock;

    Templates(JdbcClient jdbc, LiquidLetters letters, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.letters = letters;
        this.audit = audit;
        this.clock = clock;
    }

    public Template get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(Templates::map)
                .optional().orElseThrow(() -> new NotFoundException("template", id));
    }

    /** Newest first; {@code q} matches the name, {@code kind} and {@code scenario} filter exactly. */
    public Page<Template> list(WorkspaceId ws, String q, String kind, String scenario, String cursor, int limit) {
        List<Template> rows = jdbc.sql(SELECT + " " + """
                         where workspace_id = :ws and id < :after
                           and (cast(:q as text) is null or lower(name) like '%' || lower(cast(:q as text)) || '%')
                           and (cast(:kind as text) is null or kind = :kind)
                           and (cast(:scenario as text) is null or scenario = :scenario)
                         order by id desc limit :limit""")
                .param("ws", ws.value()).param("after", Cursor.decode(cursor))
                .param("q", q == null || q.isBlank() ? null : q.strip().replace("%", "\\%").replace("_", "\\_"))
                .param("kind", kind == null || kind.isBlank() ? null : kind)
                .param("scenario", scenario == null || scenario.isBlank() ? null : scenario)
                .param("limit", limit + 1).query(Templates::map).list();
        return Page.of(rows, limit, Template::id);
    }

    @Transactional
    public Template create(OrbitaPrincipal by, TemplateInput in) {
        return create(by, in, null);
    }

    /** As {@link #create(OrbitaPrincipal, TemplateInput)}, remembering the library template it was copied from. */
    @Transactional
    public Template create(OrbitaPrincipal by, TemplateInput in, String libraryCode) {
        WorkspaceId ws = by.workspace();
        check(ws, in);
        Instant now = clock.instant();
        long id = jdbc.sql("""
                        insert into content_template (workspace_id, name, kind, scenario, subject, preheader, html, text,
                                                      layout_id, library_code, current_version, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) returning id""")
                .params(ws.value(), in.name().strip(), in.kind(), blankToNull(in.scenario()), in.subject(),
                        blankToNull(in.preheader()), in.html(), blankToNull(in.text()), in.layoutId(), libraryCode,
                        Timestamp.from(now), Timestamp.from(now))
                .query(Long.class).single();
        saveVersion(by, id, 1, in, now);
        audit.record(by, "template.created", "template", id, Map.of("name", in.name().strip()));
        return get(ws, id);
    }

    /** Replaces the template's content with the input and saves it as a new version. */
    @Transactional
    public Template update(OrbitaPrincipal by, long id, TemplateInput in) {
        WorkspaceId ws = by.workspace();
        Template current = lock(ws, id);
        check(ws, in);
        int version = current.version() + 1;
        Instant now = clock.instant();
        jdbc.sql("""
                        update content_template set name = ?, kind = ?, scenario = ?, subject = ?, preheader = ?, html = ?,
                               text = ?, layout_id = ?, current_version = ?, updated_at = ?
                        where workspace_id = ? and id = ?""")
                .params(in.name().strip(), in.kind(), blankToNull(in.scenario()), in.subject(), blankToNull(in.preheader()),
                        in.html(), blankToNull(in.text()), in.layoutId(), version, Timestamp.from(now), ws.value(), id)
                .update();
        saveVersion(by, id, version, in, now);
        audit.record(by, "template.updated", "template", id, Map.of("version", version));
        return get(ws, id);
    }

    /** Makes an old version current again, as a new version (so nothing of the history is lost). */
    @Transactional
    public Template restore(OrbitaPrincipal by, long id, int version) {
        Template current = lock(by.workspace(), id);
        TemplateVersion old = version(by.workspace(), id, version);
        return update(by, id, new TemplateInput(current.name(), current.kind(), current.scenario(), old.subject(),
                old.preheader(), old.html(), old.text(), old.layoutId()));
    }

    @Transactional
    public void delete(OrbitaPrincipal by, long id) {
        Template t = get(by.workspace(), id);
        jdbc.sql("delete from content_template where workspace_id = ? and id = ?").params(by.workspace().value(), id).update();
        audit.record(by, "template.deleted", "template", id, Map.of("name", t.name()));
    }

    public List<TemplateVersion> versions(WorkspaceId ws, long id) {
        get(ws, id);
        return jdbc.sql(VERSION_SELECT + " where workspace_id = ? and template_id = ? order by version desc")
                .params(ws.value(), id).query(Templates::mapVersion).list();
    }

    public TemplateVersion version(WorkspaceId ws, long id, int version) {
        get(ws, id);
        return jdbc.sql(VERSION_SELECT + " where workspace_id = ? and template_id = ? and version = ?")
                .params(ws.value(), id, version).query(Templates::mapVersion).optional()
                .orElseThrow(() -> new NotFoundException("template version", id + "/" + version));
    }

    /** The rules of a template, Liquid included: it must parse (with its layout and snippets) and render. */
    public void check(WorkspaceId ws, TemplateInput in) {
        Problems p = new Problems();
        if (in.name() == null || in.name().isBlank()) {
            p.add("name", "field.required", "name is required");
        } else if (in.name().strip().length() > MAX_NAME) {
            p.add("name", "field.tooLong", "name must be at most " + MAX_NAME + " characters", MAX_NAME);
        }
        if (in.kind() == null || !TemplateKinds.KINDS.contains(in.kind())) {
            p.add("kind", "template.kindInvalid", "kind must be one of " + String.join(", ", TemplateKinds.KINDS),
                    String.join(", ", TemplateKinds.KINDS));
        }
        if (in.scenario() != null && !in.scenario().isBlank() && !TemplateKinds.SCENARIOS.contains(in.scenario())) {
            p.add("scenario", "template.scenarioInvalid", "scenario must be one of " + String.join(", ", TemplateKinds.SCENARIOS),
                    String.join(", ", TemplateKinds.SCENARIOS));
        }
        if (in.subject() == null || in.subject().isBlank()) {
            p.add("subject", "field.required", "subject is required");
        }
        if (in.html() == null || in.html().isBlank()) {
            p.add("html", "field.required", "html is required");
        }
        p.throwIfAny();
        letters.check(ws, new LiquidLetters.Source(null, null, in.subject(), in.preheader(), in.html(), in.text(), in.layoutId()));
    }

    private Template lock(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ? for update").params(ws.value(), id)
                .query(Templates::map).optional().orElseThrow(() -> new NotFoundException("template", id));
    }

    private void saveVersion(OrbitaPrincipal by, long id, int version, TemplateInput in, Instant now) {
        jdbc.sql("""
                        insert into content_template_version (workspace_id, template_id, version, subject, preheader, html,
                                                              text, layout_id, saved_at, saved_by)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(by.workspace().value(), id, version, in.subject(), blankToNull(in.preheader()), in.html(),
                        blankToNull(in.text()), in.layoutId(), Timestamp.from(now), by.actor())
                .update();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static final String SELECT = """
            select id, name, kind, scenario, subject, preheader, html, text, layout_id, library_code, current_version,
                   created_at, updated_at from content_template""";

    private static final String VERSION_SELECT = """
            select template_id, version, subject, preheader, html, text, layout_id, saved_at, saved_by
            from content_template_version""";

    private static Template map(ResultSet rs, int n) throws SQLException {
        return new Template(rs.getLong("id"), rs.getString("name"), rs.getString("kind"), rs.getString("scenario"),
                rs.getString("subject"), rs.getString("preheader"), rs.getString("html"), rs.getString("text"),
                rs.getObject("layout_id", Long.class), rs.getString("library_code"), rs.getInt("current_version"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private static TemplateVersion mapVersion(ResultSet rs, int n) throws SQLException {
        return new TemplateVersion(rs.getLong("template_id"), rs.getInt("version"), rs.getString("subject"),
                rs.getString("preheader"), rs.getString("html"), rs.getString("text"), rs.getObject("layout_id", Long.class),
                rs.getTimestamp("saved_at").toInstant(), rs.getString("saved_by"));
    }
}
