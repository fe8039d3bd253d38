package io.orbita.commerce;

import io.orbita.platform.Bulk;
import io.orbita.platform.Cursor;
import io.orbita.platform.JsonInput;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import io.orbita.platform.ValidationException;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Orders, upserted by the external id the shop or CRM gives them: sending the same order again changes nothing, and
 * sending it with a new status (paid, shipped, refunded) updates it. Lines are replaced as a whole when given.
 */
@Service
public class Orders {

    public static final int MAX_BULK = 1000;
    static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Moscow");

    /** An order as the API receives it. The client is a contact id, a contact email or a company id (at least one). */
    public record OrderInput(String externalId, Optional<Long> contactId, Optional<String> contactEmail,
                             Optional<Long> companyId, Optional<Instant> placedAt, Optional<String> status,
                             Optional<BigDecimal> total, Optional<String> currency, List<LineInput> lines) {

        public static OrderInput fromJson(JsonNode node) {
            Problems p = new Problems();
            JsonInput j = JsonInput.of(node, p);
            Optional<String> external = j.text("externalId");
            Optional<List<JsonNode>> rawLines = j.objects("lines");
            List<LineInput> lines = null;
            if (rawLines != null && rawLines.isPresent()) {
                lines = new ArrayList<>();
                for (int i = 0; i < rawLines.get().size(); i++) {
                    JsonInput l = j.nested(rawLines.get().get(i), "lines[" + i + "].");
                    lines.add(new LineInput(l.text("sku"), l.id("productId"), l.text("name"), l.decimal("quantity"), l.decimal("price")));
                    l.rejectUnknown();
                }
            }
            OrderInput in = new OrderInput(external == null ? null : external.map(String::strip).orElse(null),
                    j.id("contactId"), j.text("contactEmail"), j.id("companyId"), j.instant("placedAt", DEFAULT_ZONE),
                    j.text("status"), j.decimal("total"), j.text("currency"), lines);
            j.rejectUnknown();
            p.throwIfAny();
            return in;
        }
    }

    /** One order line as received; a known SKU links the line to the catalogue. */
    public record LineInput(Optional<String> sku, Optional<Long> productId, Optional<String> name,
                            Optional<BigDecimal> quantity, Optional<BigDecimal> price) {
    }

    /** Published after an order is stored, for carts, segments and journeys. */
    public record OrderRecorded(WorkspaceId workspace, long orderId, Long contactId, OrderStatus status, boolean created) {
    }

    private final JdbcClient jdbc;
    private final Clients clients;
    private final Products products;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Orders(JdbcClient jdbc, Clients clients, Products products, AuditLog audit,
           ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.clients = clients;
        this.products = products;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    public Order get(WorkspaceId ws, long id) {
        Order o = jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(Orders::map).optional()
                .orElseThrow(() -> new NotFoundException("order", id));
        return withLines(ws, List.of(o)).getFirst();
    }

    public Page<Order> list(WorkspaceId ws, Long contactId, Long companyId, String cursor, int limit) {
        List<Order> rows = jdbc.sql(SELECT + """
                         where workspace_id = :ws and id < :after
                           and (cast(:contact as bigint) is null or contact_id = :contact)
                           and (cast(:company as bigint) is null or company_id = :company)
                         order by id desc limit :limit""")
                .param("ws", ws.value()).param("after", Cursor.decode(cursor)).param("contact", contactId)
                .param("company", companyId).param("limit", limit + 1)
                .query(Orders::map).list();
        Page<Order> page = Page.of(rows, limit, Order::id);
        return new Page<>(withLines(ws, page.items()), page.nextCursor());
    }

    /** The latest orders of a contact or company, for cards. */
    public List<Order> recent(WorkspaceId ws, String column, long id, int limit) {
        List<Order> rows = jdbc.sql(SELECT + " where workspace_id = ? and " + column(column) + " = ? order by placed_at desc, id desc limit ?")
                .params(ws.value(), id, limit).query(Orders::map).list();
        return withLines(ws, rows);
    }

    /** Lifetime purchase figures of a contact ({@code contact_id}) or company ({@code company_id}). */
    public PurchaseSummary summary(WorkspaceId ws, String column, long id) {
        return jdbc.sql("""
                        select count(*), coalesce(sum(total), 0), min(placed_at), max(placed_at) from customer_order
                        where workspace_id = ? and %s = ? and %s""".formatted(column(column), OrderStatus.COUNTS_AS_PURCHASE))
                .params(ws.value(), id)
                .query((rs, n) -> {
                    long count = rs.getLong(1);
                    BigDecimal revenue = rs.getBigDecimal(2);
                    return new PurchaseSummary(count, revenue,
                            count == 0 ? null : revenue.divide(BigDecimal.valueOf(count), 2, java.math.RoundingMode.HALF_UP),
                            instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)));
                }).single();
    }

    @Transactional
    public Bulk.ItemResult upsert(OrbitaPrincipal by, OrderInput in) {
        Bulk.ItemResult r = upsertItem(by, 0, in);
        if (r.failed()) {
            throw new ValidationException(r.errors());
        }
        return r;
    }

    @Transactional
    public Bulk.Result bulkUpsert(OrbitaPrincipal by, List<Bulk.Item<OrderInput>> items) {
        Bulk.Result result = Bulk.each(items, (i, in) -> upsertItem(by, i, in));
        if (result.created() + result.updated() > 0) {
            audit.record(by, "orders.upserted", "order", null, Map.of("created", result.created(), "updated", result.updated()));
        }
        return result;
    }

    private Bulk.ItemResult upsertItem(OrbitaPrincipal by, int index, OrderInput in) {
        WorkspaceId ws = by.workspace();
        Problems p = new Problems();
        if (in.externalId() == null || in.externalId().isEmpty() || in.externalId().length() > 200) {
            p.add("externalId", "field.required", "externalId is required (up to 200 characters)");
            return Bulk.ItemResult.error(index, p.list());
        }
        Order existing = jdbc.sql(SELECT + " where workspace_id = ? and external_id = ?").params(ws.value(), in.externalId())
                .query(Orders::map).optional().map(o -> withLines(ws, List.of(o)).getFirst()).orElse(null);

        Clients.Client client = clients.resolve(ws, existing == null ? null : new Clients.Client(existing.contactId(), existing.companyId()),
                in.contactId(), in.contactEmail(), in.companyId(), "an order", p);
        Long contactId = client.contactId();
        Long companyId = client.companyId();
        Instant placedAt = in.placedAt() == null || in.placedAt().isEmpty()
                ? (existing == null ? clock.instant() : existing.placedAt()) : in.placedAt().get();
        OrderStatus status = existing == null ? OrderStatus.PLACED : existing.status();
        if (in.status() != null && in.status().isPresent()) {
            status = OrderStatus.fromCode(in.status().get());
            if (status == null) {
                p.add("status", "code.unknown", "status must be one of: placed, paid, shipped, cancelled, refunded",
                        "placed, paid, shipped, cancelled, refunded");
            }
        }
        String currency = Money.currency(in.currency(), existing == null ? null : existing.currency(), p);
        List<Order.Line> lines = existing == null ? List.of() : existing.lines();
        if (in.lines() != null) {
            lines = lines(ws, in.lines(), p);
        }
        BigDecimal computed = lines.stream().map(l -> l.price().multiply(l.quantity()))
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, java.math.RoundingMode.HALF_UP);
        BigDecimal total = Money.amount(in.total(), existing == null ? null : existing.total(), "total", false, p);
        if (in.total() == null || in.total().isEmpty()) {
            total = lines.isEmpty() ? total : computed;
        }
        if (total == null && p.isEmpty()) {
            p.add("total", "field.required", "total is required when the order has no lines");
        }
        if (!p.isEmpty()) {
            return Bulk.ItemResult.error(index, p.list());
        }
        Timestamp now = Timestamp.from(clock.instant());
        long id;
        String outcome;
        if (existing == null) {
            id = jdbc.sql("""
                            insert into customer_order (workspace_id, external_id, contact_id, company_id, placed_at, status,
                                total, currency, created_at, updated_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                    .params(ws.value(), in.externalId(), contactId, companyId, Timestamp.from(placedAt), status.code(), total,
                            currency, now, now)
                    .query(Long.class).single();
            writeLines(ws, id, lines);
            outcome = "created";
        } else {
            id = existing.id();
            boolean same = Objects.equals(contactId, existing.contactId()) && Objects.equals(companyId, existing.companyId())
                    && placedAt.equals(existing.placedAt()) && status == existing.status()
                    && total.compareTo(existing.total()) == 0 && currency.equals(existing.currency())
                    && sameLines(lines, existing.lines());
            if (same) {
                return new Bulk.ItemResult(index, "unchanged", id, List.of());
            }
            jdbc.sql("""
                            update customer_order set contact_id = ?, company_id = ?, placed_at = ?, status = ?, total = ?,
                                currency = ?, updated_at = ? where workspace_id = ? and id = ?""")
                    .params(contactId, companyId, Timestamp.from(placedAt), status.code(), total, currency, now, ws.value(), id)
                    .update();
            if (in.lines() != null) {
                jdbc.sql("delete from order_line where workspace_id = ? and order_id = ?").params(ws.value(), id).update();
                writeLines(ws, id, lines);
            }
            outcome = "updated";
        }
        events.publishEvent(new OrderRecorded(ws, id, contactId, status, existing == null));
        return new Bulk.ItemResult(index, outcome, id, List.of());
    }

    private List<Order.Line> lines(WorkspaceId ws, List<LineInput> in, Problems p) {
        List<Order.Line> out = new ArrayList<>();
        Map<String, Product> bySku = new HashMap<>();
        for (int i = 0; i < in.size(); i++) {
            LineInput l = in.get(i);
            String path = "lines[" + i + "].";
            String sku = l.sku() == null ? null : l.sku().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
            Product product = null;
            if (l.productId() != null && l.productId().isPresent()) {
                try {
                    product = products.get(ws, l.productId().get());
                } catch (NotFoundException e) {
                    p.add(path + "productId", "product.unknown", "no such product in this workspace");
                }
            } else if (sku != null) {
                product = bySku.computeIfAbsent(sku, s -> products.findBySku(ws, s).orElse(null));
            }
            if (sku == null && product != null) {
                sku = product.sku();
            }
            if (sku == null) {
                p.add(path + "sku", "field.required", "each line needs a sku or productId");
                continue;
            }
            BigDecimal quantity = l.quantity() == null || l.quantity().isEmpty() ? BigDecimal.ONE : l.quantity().get();
            if (quantity.signum() <= 0) {
                p.add(path + "quantity", "quantity.range", "quantity must be greater than 0");
            }
            BigDecimal price = l.price() == null || l.price().isEmpty() ? (product == null ? null : product.price()) : l.price().get();
            if (price == null || price.signum() < 0) {
                p.add(path + "price", "field.required", "price is required (the product has no catalogue price)");
                continue;
            }
            String name = l.name() == null || l.name().isEmpty() ? (product == null ? null : product.name()) : l.name().get().strip();
            out.add(new Order.Line(i + 1, product == null ? null : product.id(), sku, name, quantity,
                    price.setScale(2, java.math.RoundingMode.HALF_UP)));
        }
        return out;
    }

    private void writeLines(WorkspaceId ws, long orderId, List<Order.Line> lines) {
        for (Order.Line l : lines) {
            jdbc.sql("""
                            insert into order_line (workspace_id, order_id, line_no, product_id, sku, name, quantity, price)
                            values (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(ws.value(), orderId, l.lineNo(), l.productId(), l.sku(), l.name(), l.quantity(), l.price()).update();
        }
    }

    private static boolean sameLines(List<Order.Line> a, List<Order.Line> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Order.Line x = a.get(i);
            Order.Line y = b.get(i);
            if (!x.sku().equals(y.sku()) || x.quantity().compareTo(y.quantity()) != 0 || x.price().compareTo(y.price()) != 0
                    || !Objects.equals(x.name(), y.name())) {
                return false;
            }
        }
        return true;
    }

    private List<Order> withLines(WorkspaceId ws, List<Order> orders) {
        if (orders.isEmpty()) {
            return orders;
        }
        Map<Long, List<Order.Line>> byOrder = new HashMap<>();
        jdbc.sql("""
                        select order_id, line_no, product_id, sku, name, quantity, price from order_line
                        where workspace_id = ? and order_id = any(?) order by order_id, line_no""")
                .params(ws.value(), orders.stream().map(Order::id).toArray(Long[]::new))
                .query((rs, n) -> {
                    long productId = rs.getLong(3);
                    Long product = rs.wasNull() ? null : productId;
                    byOrder.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Order.Line(rs.getInt(2), product,
                            rs.getString(4), rs.getString(5), rs.getBigDecimal(6).stripTrailingZeros(), rs.getBigDecimal(7)));
                    return 1;
                }).list();
        return orders.stream().map(o -> new Order(o.id(), o.externalId(), o.contactId(), o.companyId(), o.placedAt(),
                o.status(), o.total(), o.currency(), byOrder.getOrDefault(o.id(), List.of()), o.createdAt(), o.updatedAt())).toList();
    }

    private static String column(String column) {
        if (!column.equals("contact_id") && !column.equals("company_id")) {
            throw new IllegalArgumentException(column);
        }
        return column;
    }

    private static final String SELECT = """
            select id, external_id, contact_id, company_id, placed_at, status, total, currency, created_at, updated_at
            from customer_order
            """;

    private static Order map(ResultSet rs, int n) throws SQLException {
        long contact = rs.getLong("contact_id");
        Long contactId = rs.wasNull() ? null : contact;
        long company = rs.getLong("company_id");
        Long companyId = rs.wasNull() ? null : company;
        return new Order(rs.getLong("id"), rs.getString("external_id"), contactId, companyId,
                rs.getTimestamp("placed_at").toInstant(), OrderStatus.fromCode(rs.getString("status")), rs.getBigDecimal("total"),
                rs.getString("currency"), List.of(), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
