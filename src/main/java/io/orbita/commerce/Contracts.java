package io.orbita.commerce;

import io.orbita.platform.Bulk;
import io.orbita.platform.JsonInput;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** Contracts and subscriptions, upserted by external id; renewal reminders and churn read their dates and status. */
@Service
public class Contracts {

    public static final int MAX_BULK = 1000;

    public record ContractInput(String externalId, Optional<Long> contactId, Optional<String> contactEmail,
                                Optional<Long> companyId, Optional<String> plan, Optional<String> startsOn,
                                Optional<String> renewsOn, Optional<BigDecimal> amount, Optional<String> period,
                                Optional<String> currency, Optional<String> status) {

        public static ContractInput fromJson(JsonNode node) {
            Problems p = new Problems();
            JsonInput j = JsonInput.of(node, p);
            Optional<String> external = j.text("externalId");
            ContractInput in = new ContractInput(external == null ? null : external.map(String::strip).orElse(null),
                    j.id("contactId"), j.text("contactEmail"), j.id("companyId"), j.text("plan"), j.text("startsOn"),
                    j.text("renewsOn"), j.decimal("amount"), j.text("period"), j.text("currency"), j.text("status"));
            j.rejectUnknown();
            p.throwIfAny();
            return in;
        }
    }

    private final JdbcClient jdbc;
    private final Clients clients;
    private final AuditLog audit;
    private final Clock clock;

    Contracts(JdbcClient jdbc, Clients clients, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.clients = clients;
        this.audit = audit;
        this.clock = clock;
    }

    public Contract get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(Contracts::map).optional()
                .orElseThrow(() -> new NotFoundException("contract", id));
    }

    /** Contracts of a contact ({@code contact_id}) or company ({@code company_id}), the next renewal first. */
    public List<Contract> of(WorkspaceId ws, String column, long id) {
        if (!column.equals("contact_id") && !column.equals("company_id")) {
            throw new IllegalArgumentException(column);
        }
        return jdbc.sql(SELECT + " where workspace_id = ? and " + column + " = ? order by renews_on nulls last, id")
                .params(ws.value(), id).query(Contracts::map).list();
    }

    /** Active and trial contracts renewing within {@code days} days from today. */
    public List<Contract> renewingWithin(WorkspaceId ws, int days) {
        LocalDate today = LocalDate.now(clock.withZone(Orders.DEFAULT_ZONE));
        return jdbc.sql(SELECT + """
                         where workspace_id = ? and status in ('trial', 'active') and renews_on between ? and ?
                         order by renews_on, id""")
                .params(ws.value(), Date.valueOf(today), Date.valueOf(today.plusDays(days))).query(Contracts::map).list();
    }

    @Transactional
    public Bulk.ItemResult upsert(OrbitaPrincipal by, ContractInput in) {
        Bulk.ItemResult r = upsertItem(by, 0, in);
        if (r.failed()) {
            throw new ValidationException(r.errors());
        }
        return r;
    }

    @Transactional
    public Bulk.Result bulkUpsert(OrbitaPrincipal by, List<Bulk.Item<ContractInput>> items) {
        Bulk.Result result = Bulk.each(items, (i, in) -> upsertItem(by, i, in));
        if (result.created() + result.updated() > 0) {
            audit.record(by, "contracts.upserted", "contract", null, Map.of("created", result.created(), "updated", result.updated()));
        }
        return result;
    }

    private Bulk.ItemResult upsertItem(OrbitaPrincipal by, int index, ContractInput in) {
        WorkspaceId ws = by.workspace();
        Problems p = new Problems();
        if (in.externalId() == null || in.externalId().isEmpty() || in.externalId().length() > 200) {
            p.add("externalId", "field.required", "externalId is required (up to 200 characters)");
            return Bulk.ItemResult.error(index, p.list());
        }
        Contract c = jdbc.sql(SELECT + " where workspace_id = ? and external_id = ?").params(ws.value(), in.externalId())
                .query(Contracts::map).optional().orElse(null);
        Clients.Client client = clients.resolve(ws, c == null ? null : new Clients.Client(c.contactId(), c.companyId()),
                in.contactId(), in.contactEmail(), in.companyId(), "a contract", p);
        Long contactId = client.contactId();
        Long companyId = client.companyId();
        String plan = pick(in.plan(), c == null ? null : c.plan());
        if (plan == null) {
            p.add("plan", "field.required", "plan is required");
        }
        LocalDate startsOn = date(in.startsOn(), c == null ? null : c.startsOn(), "startsOn", p);
        if (startsOn == null && p.isEmpty()) {
            p.add("startsOn", "field.required", "startsOn is required");
        }
        LocalDate renewsOn = date(in.renewsOn(), c == null ? null : c.renewsOn(), "renewsOn", p);
        if (startsOn != null && renewsOn != null && renewsOn.isBefore(startsOn)) {
            p.add("renewsOn", "contract.dates", "renewsOn cannot be before startsOn");
        }
        BigDecimal amount = Money.amount(in.amount(), c == null ? null : c.amount(), "amount", false, p);
        String period = pick(in.period(), c == null ? "month" : c.period());
        if (!Contract.PERIODS.contains(period)) {
            p.add("period", "code.unknown", "period must be one of: month, quarter, year, once", "month, quarter, year, once");
        }
        String status = pick(in.status(), c == null ? "active" : c.status());
        if (!Contract.STATUSES.contains(status)) {
            p.add("status", "code.unknown", "status must be one of: trial, active, expired, cancelled", "trial, active, expired, cancelled");
        }
        String currency = Money.currency(in.currency(), c == null ? null : c.currency(), p);
        if (!p.isEmpty()) {
            return Bulk.ItemResult.error(index, p.list());
        }
        Timestamp now = Timestamp.from(clock.instant());
        if (c == null) {
            long id = jdbc.sql("""
                            insert into contract (workspace_id, external_id, contact_id, company_id, plan, starts_on, renews_on,
                                amount, period, currency, status, created_at, updated_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                    .params(ws.value(), in.externalId(), contactId, companyId, plan, Date.valueOf(startsOn),
                            renewsOn == null ? null : Date.valueOf(renewsOn), amount, period, currency, status, now, now)
                    .query(Long.class).single();
            return new Bulk.ItemResult(index, "created", id, List.of());
        }
        boolean same = (java.util.Objects.equals(contactId, c.contactId())
                && java.util.Objects.equals(companyId, c.companyId()) && plan.equals(c.plan()) && startsOn.equals(c.startsOn())
                && java.util.Objects.equals(renewsOn, c.renewsOn()) && period.equals(c.period()) && status.equals(c.status())
                && currency.equals(c.currency())
                && (amount == null ? c.amount() == null : c.amount() != null && amount.compareTo(c.amount()) == 0));
        if (same) {
            return new Bulk.ItemResult(index, "unchanged", c.id(), List.of());
        }
        jdbc.sql("""
                        update contract set contact_id = ?, company_id = ?, plan = ?, starts_on = ?, renews_on = ?, amount = ?,
                            period = ?, currency = ?, status = ?, updated_at = ? where workspace_id = ? and id = ?""")
                .params(contactId, companyId, plan, Date.valueOf(startsOn), renewsOn == null ? null : Date.valueOf(renewsOn),
                        amount, period, currency, status, now, ws.value(), c.id())
                .update();
        return new Bulk.ItemResult(index, "updated", c.id(), List.of());
    }

    private static String pick(Optional<String> in, String current) {
        if (in == null) {
            return current;
        }
        return in.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }

    private static LocalDate date(Optional<String> in, LocalDate current, String field, Problems p) {
        if (in == null) {
            return current;
        }
        if (in.isEmpty() || in.get().isBlank()) {
            return null;
        }
        try {
            String t = in.get().strip();
            if (t.matches("\\d{1,2}\\.\\d{1,2}\\.\\d{4}")) {
                String[] d = t.split("\\.");
                return LocalDate.of(Integer.parseInt(d[2]), Integer.parseInt(d[1]), Integer.parseInt(d[0]));
            }
            return LocalDate.parse(t);
        } catch (RuntimeException e) {
            p.add(field, "date.invalid", field + " must be a date as YYYY-MM-DD or DD.MM.YYYY");
            return current;
        }
    }

    private static final String SELECT = """
            select id, external_id, contact_id, company_id, plan, starts_on, renews_on, amount, period, currency, status,
                   created_at, updated_at from contract
            """;

    private static Contract map(ResultSet rs, int n) throws SQLException {
        long contact = rs.getLong("contact_id");
        Long contactId = rs.wasNull() ? null : contact;
        long company = rs.getLong("company_id");
        Long companyId = rs.wasNull() ? null : company;
        Date renews = rs.getDate("renews_on");
        return new Contract(rs.getLong("id"), rs.getString("external_id"), contactId, companyId, rs.getString("plan"),
                rs.getDate("starts_on").toLocalDate(), renews == null ? null : renews.toLocalDate(), rs.getBigDecimal("amount"),
                rs.getString("period"), rs.getString("currency"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
