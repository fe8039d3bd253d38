package io.orbita.audience;

import io.orbita.audience.Company.CompanyData;
import io.orbita.platform.WorkspaceId;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The SQL of companies; like {@link ContactStore}, every statement is scoped by workspace. */
@Repository
class CompanyStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private static final String SELECT = """
            select co.id, co.name, co.inn, co.industry, co.size, co.website, co.founded_on, co.cooperation_started_on,
                   co.manager_id, u.display_name as manager_name, co.custom_fields::text as custom_fields,
                   co.created_at, co.updated_at,
                   (select count(*) from contact c where c.workspace_id = co.workspace_id and c.company_id = co.id) as contacts
            from company co
            left join app_user u on u.id = co.manager_id
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CompanyStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<Company> find(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where co.workspace_id = ? and co.id = ?").params(ws.value(), id).query(this::map).optional();
    }

    Optional<Company> findByInn(WorkspaceId ws, String inn) {
        return jdbc.sql(SELECT + " where co.workspace_id = ? and co.inn = ?").params(ws.value(), inn).query(this::map).optional();
    }

    Optional<Company> findByName(WorkspaceId ws, String name) {
        return jdbc.sql(SELECT + " where co.workspace_id = ? and lower(co.name) = lower(?) order by co.id limit 1")
                .params(ws.value(), name).query(this::map).optional();
    }

    List<Company> list(WorkspaceId ws, String q, String inn, Long managerId, long afterId, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where co.workspace_id = :ws and co.id < :after");
        Map<String, Object> p = new HashMap<>();
        p.put("ws", ws.value());
        p.put("after", afterId);
        p.put("limit", limit);
        if (q != null && !q.isBlank()) {
            sql.append(" and lower(co.name) like :q");
            p.put("q", "%" + ContactStore.likeEscape(q.strip().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        if (inn != null && !inn.isBlank()) {
            sql.append(" and co.inn = :inn");
            p.put("inn", inn.strip());
        }
        if (managerId != null) {
            sql.append(" and co.manager_id = :manager");
            p.put("manager", managerId);
        }
        sql.append(" order by co.id desc limit :limit");
        return jdbc.sql(sql.toString()).params(p).query(this::map).list();
    }

    long count(WorkspaceId ws) {
        return jdbc.sql("select count(*) from company where workspace_id = ?").param(ws.value()).query(Long.class).single();
    }

    long insert(WorkspaceId ws, CompanyData d, Instant now) {
        return jdbc.sql("""
                        insert into company (workspace_id, name, inn, industry, size, website, founded_on,
                            cooperation_started_on, manager_id, custom_fields, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) returning id""")
                .params(ws.value(), d.name(), d.inn(), d.industry(), d.size() == null ? null : d.size().code(), d.website(),
                        date(d.foundedOn()), date(d.cooperationStartedOn()), d.managerId(),
                        json.writeValueAsString(d.customFields()), Timestamp.from(now), Timestamp.from(now))
                .query(Long.class).single();
    }

    void update(WorkspaceId ws, long id, CompanyData d, Instant now) {
        jdbc.sql("""
                        update company set name = ?, inn = ?, industry = ?, size = ?, website = ?, founded_on = ?,
                            cooperation_started_on = ?, manager_id = ?, custom_fields = ?::jsonb, updated_at = ?
                        where workspace_id = ? and id = ?""")
                .params(d.name(), d.inn(), d.industry(), d.size() == null ? null : d.size().code(), d.website(),
                        date(d.foundedOn()), date(d.cooperationStartedOn()), d.managerId(),
                        json.writeValueAsString(d.customFields()), Timestamp.from(now), ws.value(), id)
                .update();
    }

    boolean delete(WorkspaceId ws, long id) {
        return jdbc.sql("delete from company where workspace_id = ? and id = ?").params(ws.value(), id).update() > 0;
    }

    /** Companies whose name starts with the text, for pickers. */
    List<Map.Entry<Long, String>> suggest(WorkspaceId ws, String prefix, int limit) {
        return jdbc.sql("select id, name from company where workspace_id = ? and lower(name) like ? order by name limit ?")
                .params(ws.value(), ContactStore.likeEscape(prefix == null ? "" : prefix.strip().toLowerCase(java.util.Locale.ROOT)) + "%", limit)
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getString(2))).list();
    }

    private Company map(ResultSet rs, int n) throws SQLException {
        return new Company(rs.getLong("id"), rs.getString("name"), rs.getString("inn"), rs.getString("industry"),
                CompanySize.fromCode(rs.getString("size")), rs.getString("website"), local(rs.getDate("founded_on")),
                local(rs.getDate("cooperation_started_on")), ContactStore.nullableLong(rs, "manager_id"),
                rs.getString("manager_name"), json.readValue(rs.getString("custom_fields"), MAP), rs.getLong("contacts"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private static Date date(LocalDate d) {
        return d == null ? null : Date.valueOf(d);
    }

    private static LocalDate local(Date d) {
        return d == null ? null : d.toLocalDate();
    }
}
