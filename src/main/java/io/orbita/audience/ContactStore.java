package io.orbita.audience;

import io.orbita.platform.WorkspaceId;
import io.orbita.platform.db.CopyRows;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SQL of contacts. Every statement takes the workspace as its first condition: there is no way to read or write a
 * contact without naming its workspace.
 */
@Repository
class ContactStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private static final String SELECT = """
            select c.id, c.email, c.first_name, c.last_name, c.middle_name, c.position, c.phone, c.birthday,
                   c.company_id, co.name as company_name, c.contact_type, c.source_label, c.source_kind,
                   c.manager_id, u.display_name as manager_name, c.tags, c.custom_fields::text as custom_fields,
                   c.consent_status, c.created_at, c.updated_at
            from contact c
            left join company co on co.workspace_id = c.workspace_id and co.id = c.company_id
            left join app_user u on u.id = c.manager_id
            """;

    /** Batches at least this big are copied in first (see {@link #insertAll}). */
    static final int COPY_FROM = 100;

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final JsonMapper json;
    private final TransactionTemplate savepoint;

    ContactStore(JdbcClient jdbc, DataSource dataSource, JsonMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.json = json;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    Optional<Contact> find(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where c.workspace_id = ? and c.id = ?").params(ws.value(), id).query(this::map).optional();
    }

    Optional<Contact> findByEmail(WorkspaceId ws, String email) {
        return jdbc.sql(SELECT + " where c.workspace_id = ? and lower(c.email) = lower(?)").params(ws.value(), email)
                .query(this::map).optional();
    }

    /** The contacts with these ids that exist in the workspace, keyed by id; one query. */
    Map<Long, Contact> findAll(WorkspaceId ws, Collection<Long> ids) {
        Map<Long, Contact> result = new HashMap<>();
        if (ids.isEmpty()) {
            return result;
        }
        jdbc.sql(SELECT + " where c.workspace_id = ? and c.id = any(?)")
                .params(ws.value(), ids.stream().distinct().toArray(Long[]::new))
                .query(this::map).list()
                .forEach(c -> result.put(c.id(), c));
        return result;
    }

    /** Current state of the contacts with these emails, keyed by lower-cased email. */
    Map<String, Contact> findByEmails(WorkspaceId ws, Collection<String> lowerEmails) {
        Map<String, Contact> result = new HashMap<>();
        if (lowerEmails.isEmpty()) {
            return result;
        }
        jdbc.sql(SELECT + " where c.workspace_id = ? and lower(c.email) = any(?)")
                .params(ws.value(), lowerEmails.toArray(String[]::new))
                .query(this::map).list()
                .forEach(c -> result.put(FieldRules.lower(c.email()), c));
        return result;
    }

    /**
     * One page of the list, newest first. A search ({@code q}) matches a substring of the email and names: through the
     * trigram-indexed {@code contact_search} for indexed contacts, and against the contact row itself for contacts
     * still waiting for the indexer (new ones in {@code contact_search_range}, renamed ones in
     * {@code contact_search_queue}). Both parts are read with the same filters and merged, so a search is always
     * current; only its speed depends on the indexer having caught up.
     */
    List<Contact> list(WorkspaceId ws, ContactFilter f, long afterId, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where c.workspace_id = :ws and c.id < :after");
        Map<String, Object> params = new HashMap<>();
        params.put("ws", ws.value());
        params.put("after", afterId);
        params.put("limit", limit);
        if (f.email() != null && !f.email().isBlank()) {
            EmailAddress.Parsed parsed = EmailAddress.parse(f.email());
            sql.append(" and lower(c.email) = lower(:email)");
            params.put("email", parsed.valid() ? parsed.address().value() : f.email().strip());
        }
        if (f.companyId() != null) {
            sql.append(" and c.company_id = :company");
            params.put("company", f.companyId());
        }
        if (f.tag() != null && !f.tag().isBlank()) {
            sql.append(" and c.tags @> array[cast(:tag as text)]");
            params.put("tag", f.tag().strip());
        }
        if (f.type() != null) {
            sql.append(" and c.contact_type = :type");
            params.put("type", f.type().code());
        }
        if (f.consent() != null) {
            sql.append(" and c.consent_status = :consent");
            params.put("consent", f.consent().code());
        }
        if (f.managerId() != null) {
            sql.append(" and c.manager_id = :manager");
            params.put("manager", f.managerId());
        }
        String order = " order by c.id desc limit :limit";
        if (f.q() == null || f.q().isBlank()) {
            return jdbc.sql(sql + order).params(params).query(this::map).list();
        }
        params.put("q", "%" + likeEscape(f.q().strip().toLowerCase(java.util.Locale.ROOT)) + "%");
        // The lowest id still waiting for the indexer; none waits most of the time, and then only the index is read.
        Long lowestWaiting = jdbc.sql("""
                        select least((select min(contact_id) from contact_search_queue where workspace_id = :ws),
                                     (select min(from_id) from contact_search_range where workspace_id = :ws))""")
                .param("ws", ws.value()).query(Long.class).optional().orElse(null);
        String waiting = "(exists (select 1 from contact_search_queue p where p.workspace_id = c.workspace_id and p.contact_id = c.id)"
                + " or exists (select 1 from contact_search_range r where r.workspace_id = c.workspace_id"
                + " and c.id between r.from_id and r.to_id))";
        String indexedSql = sql + " and exists (select 1 from contact_search s where s.workspace_id = c.workspace_id"
                + " and s.contact_id = c.id and s.doc like :q)";
        if (lowestWaiting == null) {
            return jdbc.sql(indexedSql + order).params(params).query(this::map).list();
        }
        params.put("lowestWaiting", lowestWaiting);
        List<Contact> indexed = jdbc.sql(indexedSql + " and not " + waiting + order).params(params).query(this::map).list();
        List<Contact> pending = jdbc.sql(sql + " and c.id >= :lowestWaiting and " + waiting
                        + " and contact_search_doc(c.email, c.first_name, c.last_name, c.middle_name) like :q" + order)
                .params(params).query(this::map).list();
        if (pending.isEmpty()) {
            return indexed;
        }
        List<Contact> merged = new ArrayList<>(indexed);
        merged.addAll(pending);
        merged.sort(java.util.Comparator.comparingLong(Contact::id).reversed());
        return merged.size() > limit ? new ArrayList<>(merged.subList(0, limit)) : merged;
    }

    long count(WorkspaceId ws) {
        return jdbc.sql("select count(*) from contact where workspace_id = ?").param(ws.value()).query(Long.class).single();
    }

    long insert(WorkspaceId ws, ContactData d, ConsentStatus consent, Instant now) {
        return insertAll(ws, List.of(d), List.of(consent), now).values().iterator().next();
    }

    /**
     * Inserts many contacts in one statement. A contact whose email was inserted concurrently by someone else is skipped
     * (ON CONFLICT DO NOTHING) and missing from the result, so the caller can treat it as an update instead.
     *
     * @return ids of the inserted contacts by lower-cased email
     */
    Map<String, Long> insertAll(WorkspaceId ws, List<ContactData> rows, List<ConsentStatus> consents, Instant now) {
        Map<String, Long> ids = HashMap.newHashMap(rows.size());
        if (rows.isEmpty()) {
            return ids;
        }
        String[] consentCodes = consents.stream().map(ConsentStatus::code).toArray(String[]::new);
        if (rows.size() >= COPY_FROM) {
            // The caller has just looked these emails up, so a concurrent insert of one of them is rare: a plain COPY
            // skips the speculative insertion ON CONFLICT needs per row and writes a page at a time (a fifth of the
            // insert's database CPU, see CopyRows). If one did come in between, the savepoint takes the copy back and
            // the careful statement runs instead.
            try {
                savepoint.executeWithoutResult(s -> copy(ws, rows, consentCodes, now, ids));
                return ids;
            } catch (DuplicateKeyException raced) {
                ids.clear();
            }
        }
        insert(ws, new Columns(rows), consentCodes, now, ids);
        return ids;
    }

    private void copy(WorkspaceId ws, List<ContactData> rows, String[] consentCodes, Instant now, Map<String, Long> ids) {
        CopyRows.onTransactionConnection(dataSource, "copy contact", connection -> {
            long[] reserved = CopyRows.nextIds(connection, "contact", "id", rows.size());
            try (CopyRows out = CopyRows.binary(connection, "contact", "id, workspace_id, email, first_name, last_name, "
                    + "middle_name, position, phone, birthday, company_id, contact_type, source_label, source_kind, "
                    + "manager_id, tags, custom_fields, consent_status, created_at, updated_at")) {
                for (int i = 0; i < rows.size(); i++) {
                    copyRow(out, reserved[i], ws, rows.get(i), consentCodes[i], now);
                }
            }
            for (int i = 0; i < rows.size(); i++) {
                ids.put(FieldRules.lower(rows.get(i).email()), reserved[i]);
            }
        });
    }

    private void copyRow(CopyRows out, long id, WorkspaceId ws, ContactData d, String consent, Instant at) throws SQLException {
        out.number(id).number(ws.value()).text(d.email()).text(d.firstName()).text(d.lastName())
                .text(d.middleName()).text(d.position()).text(d.phone()).date(d.birthday())
                .nullable(d.companyId()).text(d.type() == null ? null : d.type().code())
                .text(d.sourceLabel()).text(d.sourceKind() == null ? null : d.sourceKind().code())
                .nullable(d.managerId()).textArray(d.tags())
                .jsonb(d.customFields().isEmpty() ? "{}" : json.writeValueAsString(d.customFields()))
                .text(consent).instant(at).instant(at);
        out.endRow();
    }

    private void insert(WorkspaceId ws, Columns c, String[] consentCodes, Instant now, Map<String, Long> ids) {
        jdbc.sql("""
                        insert into contact (workspace_id, email, first_name, last_name, middle_name, position, phone, birthday,
                            company_id, contact_type, source_label, source_kind, manager_id, tags, custom_fields,
                            consent_status, created_at, updated_at)
                        select :ws, u.email, u.first_name, u.last_name, u.middle_name, u.position, u.phone, u.birthday,
                            u.company_id, u.contact_type, u.source_label, u.source_kind, u.manager_id,
                            coalesce(string_to_array(nullif(u.tags, ''), ','), '{}'), u.custom_fields::jsonb,
                            u.consent, :now, :now
                        from unnest(:email, :first, :last, :middle, :position, :phone, cast(:birthday as date[]),
                                    cast(:company as bigint[]), :type, :sourceLabel, :sourceKind, cast(:manager as bigint[]),
                                    :tags, :custom, :consent)
                             as u(email, first_name, last_name, middle_name, position, phone, birthday, company_id,
                                  contact_type, source_label, source_kind, manager_id, tags, custom_fields, consent)
                        on conflict (workspace_id, lower(email)) do nothing
                        returning id, lower(email)""")
                .params(c.params(ws, now))
                .param("consent", consentCodes)
                .query((rs, n) -> Map.entry(rs.getString(2), rs.getLong(1)))
                .list()
                .forEach(e -> ids.put(e.getKey(), e.getValue()));
    }

    /** Updates many contacts in one statement; ids[i] gets rows[i]. */
    void updateAll(WorkspaceId ws, List<Long> ids, List<ContactData> rows, Instant now) {
        if (rows.isEmpty()) {
            return;
        }
        Columns c = new Columns(rows);
        jdbc.sql("""
                        update contact c set email = u.email, first_name = u.first_name, last_name = u.last_name,
                            middle_name = u.middle_name, position = u.position, phone = u.phone, birthday = u.birthday,
                            company_id = u.company_id, contact_type = u.contact_type, source_label = u.source_label,
                            source_kind = u.source_kind, manager_id = u.manager_id,
                            tags = coalesce(string_to_array(nullif(u.tags, ''), ','), '{}'),
                            custom_fields = u.custom_fields::jsonb, updated_at = :now
                        from unnest(cast(:id as bigint[]), :email, :first, :last, :middle, :position, :phone,
                                    cast(:birthday as date[]), cast(:company as bigint[]), :type, :sourceLabel, :sourceKind,
                                    cast(:manager as bigint[]), :tags, :custom)
                             as u(id, email, first_name, last_name, middle_name, position, phone, birthday, company_id,
                                  contact_type, source_label, source_kind, manager_id, tags, custom_fields)
                        where c.workspace_id = :ws and c.id = u.id""")
                .params(c.params(ws, now))
                .param("id", ids.toArray(Long[]::new))
                .update();
    }

    boolean delete(WorkspaceId ws, long id) {
        // The consent history has no foreign key to the contact (it made imports slow), so it goes here, first.
        jdbc.sql("delete from consent_event where workspace_id = ? and contact_id = ?").params(ws.value(), id).update();
        return jdbc.sql("delete from contact where workspace_id = ? and id = ?").params(ws.value(), id).update() > 0;
    }

    void setConsent(WorkspaceId ws, long id, ConsentStatus status, Instant now) {
        jdbc.sql("update contact set consent_status = ?, updated_at = ? where workspace_id = ? and id = ?")
                .params(status.code(), Timestamp.from(now), ws.value(), id).update();
    }

    void recordConsent(WorkspaceId ws, List<Long> contactIds, List<ConsentStatus> statuses, Instant at, String method,
                       String source, String actor) {
        if (contactIds.isEmpty()) {
            return;
        }
        if (contactIds.size() >= COPY_FROM) {
            copyConsent(ws, contactIds, statuses, at, method, source, actor);
            return;
        }
        jdbc.sql("""
                        insert into consent_event (workspace_id, contact_id, status, at, method, source, actor)
                        select ?, u.id, u.status, ?, ?, ?, ? from unnest(cast(? as bigint[]), ?) as u(id, status)""")
                .params(ws.value(), Timestamp.from(at), method, source, actor, contactIds.toArray(Long[]::new),
                        statuses.stream().map(ConsentStatus::code).toArray(String[]::new))
                .update();
    }

    private void copyConsent(WorkspaceId ws, List<Long> contactIds, List<ConsentStatus> statuses, Instant at, String method,
                             String source, String actor) {
        CopyRows.onTransactionConnection(dataSource, "copy consent_event", connection -> {
            try (CopyRows out = CopyRows.binary(connection, "consent_event", "workspace_id, contact_id, status, at, method, source, actor")) {
                for (int i = 0; i < contactIds.size(); i++) {
                    out.number(ws.value()).number(contactIds.get(i)).raw(statuses.get(i).code()).instant(at)
                            .text(method).text(source).text(actor);
                    out.endRow();
                }
            }
        });
    }

    List<ConsentEvent> consentHistory(WorkspaceId ws, long contactId) {
        return jdbc.sql("""
                        select id, status, at, method, source, actor from consent_event
                        where workspace_id = ? and contact_id = ? order by id desc""")
                .params(ws.value(), contactId)
                .query((rs, n) -> new ConsentEvent(rs.getLong(1), ConsentStatus.fromCode(rs.getString(2)),
                        rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5), rs.getString(6)))
                .list();
    }

    List<Long> existingContacts(WorkspaceId ws, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id from contact where workspace_id = ? and id = any(?)")
                .params(ws.value(), ids.toArray(Long[]::new)).query(Long.class).list();
    }

    /** Ids by lower-cased email, without the joins a full read needs: the hot path of event ingestion. */
    Map<String, Long> idsByEmails(WorkspaceId ws, Collection<String> lowerEmails) {
        Map<String, Long> out = new HashMap<>();
        if (!lowerEmails.isEmpty()) {
            jdbc.sql("select lower(email), id from contact where workspace_id = ? and lower(email) = any(?)")
                    .params(ws.value(), lowerEmails.toArray(String[]::new))
                    .query((rs, n) -> out.put(rs.getString(1), rs.getLong(2))).list();
        }
        return out;
    }

    /** Which of these company ids exist in the workspace. */
    List<Long> existingCompanies(WorkspaceId ws, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id from company where workspace_id = ? and id = any(?)")
                .params(ws.value(), ids.toArray(Long[]::new)).query(Long.class).list();
    }

    /** Which of these user ids are members of the workspace. */
    List<Long> existingMembers(WorkspaceId ws, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select user_id from membership where workspace_id = ? and user_id = any(?)")
                .params(ws.value(), ids.toArray(Long[]::new)).query(Long.class).list();
    }

    private Contact map(ResultSet rs, int n) throws SQLException {
        Timestamp created = rs.getTimestamp("created_at");
        Timestamp updated = rs.getTimestamp("updated_at");
        java.sql.Date birthday = rs.getDate("birthday");
        return new Contact(rs.getLong("id"), rs.getString("email"), rs.getString("first_name"), rs.getString("last_name"),
                rs.getString("middle_name"), rs.getString("position"), rs.getString("phone"),
                birthday == null ? null : birthday.toLocalDate(), nullableLong(rs, "company_id"), rs.getString("company_name"),
                ContactType.fromCode(rs.getString("contact_type")), rs.getString("source_label"),
                SourceKind.fromCode(rs.getString("source_kind")), nullableLong(rs, "manager_id"), rs.getString("manager_name"),
                strings(rs.getArray("tags")), json.readValue(rs.getString("custom_fields"), MAP),
                ConsentStatus.fromCode(rs.getString("consent_status")), created.toInstant(), updated.toInstant());
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Contact rows turned into one array per column, for unnest(). */
    private final class Columns {
        private final List<ContactData> rows;

        Columns(List<ContactData> rows) {
            this.rows = rows;
        }

        Map<String, Object> params(WorkspaceId ws, Instant now) {
            Map<String, Object> p = new HashMap<>();
            p.put("ws", ws.value());
            p.put("now", Timestamp.from(now));
            p.put("email", col(ContactData::email));
            p.put("first", col(ContactData::firstName));
            p.put("last", col(ContactData::lastName));
            p.put("middle", col(ContactData::middleName));
            p.put("position", col(ContactData::position));
            p.put("phone", col(ContactData::phone));
            p.put("birthday", col(d -> d.birthday() == null ? null : d.birthday().toString()));
            p.put("company", rows.stream().map(ContactData::companyId).toArray(Long[]::new));
            p.put("type", col(d -> d.type() == null ? null : d.type().code()));
            p.put("sourceLabel", col(ContactData::sourceLabel));
            p.put("sourceKind", col(d -> d.sourceKind() == null ? null : d.sourceKind().code()));
            p.put("manager", rows.stream().map(ContactData::managerId).toArray(Long[]::new));
            // Tags never contain commas (FieldRules refuses them), so a joined string is a safe and cheap array literal.
            p.put("tags", col(d -> String.join(",", d.tags())));
            // Most imported contacts have no custom fields: no serializer for the empty object.
            p.put("custom", col(d -> d.customFields().isEmpty() ? "{}" : json.writeValueAsString(d.customFields())));
            return p;
        }

        private String[] col(java.util.function.Function<ContactData, String> f) {
            List<String> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(f.apply(r)));
            return out.toArray(String[]::new);
        }
    }
}
