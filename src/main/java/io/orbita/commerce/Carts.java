package io.orbita.commerce;

import io.orbita.activity.ActivityEvent;
import io.orbita.platform.WorkspaceId;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The current cart of each contact, kept from {@code cart_updated} events (properties {@code lines}:
 * [{sku, name, quantity, price}], optional {@code total} and {@code currency}) and cleared by an order. A cart idle for
 * longer than {@code orbita.commerce.cart-abandoned-after} (default 1 hour) is abandoned.
 */
@Service
public class Carts {

    /** A contact's cart as abandoned-cart letters need it. */
    public record Cart(long contactId, List<Map<String, Object>> lines, BigDecimal total, String currency,
                       Instant updatedAt, boolean abandoned) {
    }

    private static final java.util.regex.Pattern CURRENCY = java.util.regex.Pattern.compile("[A-Za-z]{3}");

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration abandonedAfter;

    Carts(JdbcClient jdbc, JsonMapper json, Clock clock,
          @Value("${orbita.commerce.cart-abandoned-after:PT1H}") Duration abandonedAfter) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.abandonedAfter = abandonedAfter;
    }

    /**
     * Follows contacts' events ({@code EventsRecorded}, and {@code EventsAttached}: a visitor's cart from before an
     * identify): {@code cart_updated} sets the contact's cart unless it has a newer one, {@code order_placed} clears older
     * ones. Called by the single durable listener of event batches (segments' membership upkeep, which reads carts right
     * after), inside its transaction, so a batch costs one event-registry publication and not one per module.
     */
    public void follow(WorkspaceId ws, List<ActivityEvent> events) {
        // Only the newest cart of each contact in the batch matters; write them all in one statement.
        Map<Long, ActivityEvent> latestCart = new java.util.LinkedHashMap<>();
        for (ActivityEvent e : events) {
            if (e.contactId() == null) {
                continue;
            }
            if (e.type().equals("cart_updated")) {
                latestCart.merge(e.contactId(), e, (a, b) -> b.occurredAt().isBefore(a.occurredAt()) ? a : b);
            } else if (e.type().equals("order_placed")) {
                clear(ws, e.contactId(), e.occurredAt());
            }
        }
        update(ws, List.copyOf(latestCart.values()));
    }

    @ApplicationModuleListener
    void on(Orders.OrderRecorded order) {
        if (order.contactId() != null && order.status().countsAsPurchase()) {
            clear(order.workspace(), order.contactId(), Instant.MAX);
        }
    }

    public java.util.Optional<Cart> of(WorkspaceId ws, long contactId) {
        return jdbc.sql("select contact_id, lines::text, total, currency, updated_at from cart where workspace_id = ? and contact_id = ?")
                .params(ws.value(), contactId).query(this::map).optional();
    }

    /** Non-empty carts idle for longer than the configured time (or {@code idle} when given), oldest first. */
    public List<Cart> abandoned(WorkspaceId ws, Duration idle, int limit) {
        Instant before = clock.instant().minus(idle == null ? abandonedAfter : idle);
        return jdbc.sql("""
                        select contact_id, lines::text, total, currency, updated_at from cart
                        where workspace_id = ? and updated_at < ? and jsonb_array_length(lines) > 0
                        order by updated_at limit ?""")
                .params(ws.value(), Timestamp.from(before), limit).query(this::map).list();
    }

    private void update(WorkspaceId ws, List<ActivityEvent> carts) {
        if (carts.isEmpty()) {
            return;
        }
        List<String> lines = new java.util.ArrayList<>();
        List<BigDecimal> totals = new java.util.ArrayList<>();
        List<String> currencies = new java.util.ArrayList<>();
        for (ActivityEvent e : carts) {
            Object rawLines = e.properties().get("lines");
            List<?> l = rawLines instanceof List<?> list ? list : List.of();
            BigDecimal total = e.properties().get("total") instanceof BigDecimal t ? t : l.stream()
                    .filter(Map.class::isInstance).map(Map.class::cast)
                    .map(x -> number(x.get("price")).multiply(number(x.getOrDefault("quantity", BigDecimal.ONE))))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            lines.add(json.writeValueAsString(l));
            totals.add(total.setScale(2, java.math.RoundingMode.HALF_UP));
            currencies.add(e.properties().get("currency") instanceof String c && CURRENCY.matcher(c).matches() ? c.toUpperCase() : "RUB");
        }
        // Events can arrive out of order: an older cart never overwrites a newer one.
        jdbc.sql("""
                        insert into cart (workspace_id, contact_id, lines, total, currency, updated_at)
                        select ?, u.contact_id, u.lines::jsonb, u.total, u.currency, u.at
                        from unnest(cast(? as bigint[]), ?, cast(? as numeric[]), ?, cast(? as timestamptz[]))
                             as u(contact_id, lines, total, currency, at)
                        on conflict (workspace_id, contact_id) do update set lines = excluded.lines, total = excluded.total,
                            currency = excluded.currency, updated_at = excluded.updated_at
                        where cart.updated_at <= excluded.updated_at""")
                .params(ws.value(), carts.stream().map(ActivityEvent::contactId).toArray(Long[]::new),
                        lines.toArray(String[]::new), totals.toArray(BigDecimal[]::new), currencies.toArray(String[]::new),
                        carts.stream().map(e -> Timestamp.from(e.occurredAt())).toArray(Timestamp[]::new))
                .update();
    }

    private void clear(WorkspaceId ws, long contactId, Instant notAfter) {
        jdbc.sql("delete from cart where workspace_id = ? and contact_id = ? and updated_at <= ?")
                .params(ws.value(), contactId, Timestamp.from(notAfter.equals(Instant.MAX) ? Instant.parse("9999-12-31T00:00:00Z") : notAfter))
                .update();
    }

    private static BigDecimal number(Object o) {
        if (o instanceof BigDecimal b) {
            return b;
        }
        try {
            return o == null ? BigDecimal.ZERO : new BigDecimal(o.toString());
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }

    @SuppressWarnings("unchecked")
    private Cart map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Instant updated = rs.getTimestamp(5).toInstant();
        return new Cart(rs.getLong(1), json.readValue(rs.getString(2), List.class), rs.getBigDecimal(3), rs.getString(4),
                updated, updated.isBefore(clock.instant().minus(abandonedAfter)));
    }
}
