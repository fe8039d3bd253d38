package io.orbita.commerce;

import io.orbita.platform.Bulk;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** The product catalogue, upserted by SKU, and which products go together. */
@Service
public class Products {

    public static final int MAX_BULK = 1000;

    /** A product change; fields as in the API. Omitted fields stay, null clears. */
    public record ProductInput(Optional<String> sku, Optional<String> name, Optional<String> category,
                               Optional<BigDecimal> price, Optional<String> currency, Optional<String> active) {

        public static ProductInput fromJson(JsonNode node) {
            Problems p = new Problems();
            JsonInput j = JsonInput.of(node, p);
            ProductInput in = new ProductInput(j.text("sku"), j.text("name"), j.text("category"), j.decimal("price"),
                    j.text("currency"), j.text("active"));
            j.rejectUnknown();
            p.throwIfAny();
            return in;
        }
    }

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    Products(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    public Product get(WorkspaceId ws, long id) {
        return jdbc.sql(SELECT + " where workspace_id = ? and id = ?").params(ws.value(), id).query(Products::map).optional()
                .orElseThrow(() -> new NotFoundException("product", id));
    }

    public Optional<Product> findBySku(WorkspaceId ws, String sku) {
        return jdbc.sql(SELECT + " where workspace_id = ? and sku = ?").params(ws.value(), sku).query(Products::map).optional();
    }

    public Page<Product> list(WorkspaceId ws, String q, String category, String cursor, int limit) {
        List<Product> rows = jdbc.sql(SELECT + """
                         where workspace_id = :ws and id < :after
                           and (cast(:q as text) is null or lower(name) like :q or lower(sku) like :q)
                           and (cast(:category as text) is null or category = :category)
                         order by id desc limit :limit""")
                .param("ws", ws.value()).param("after", Cursor.decode(cursor))
                .param("q", q == null || q.isBlank() ? null : "%" + q.strip().toLowerCase(java.util.Locale.ROOT) + "%")
                .param("category", category == null || category.isBlank() ? null : category.strip())
                .param("limit", limit + 1)
                .query(Products::map).list();
        return Page.of(rows, limit, Product::id);
    }

    @Transactional
    public Bulk.ItemResult upsert(OrbitaPrincipal by, ProductInput in) {
        Bulk.ItemResult r = upsertItem(by, 0, in);
        if (r.failed()) {
            throw new ValidationException(r.errors());
        }
        return r;
    }

    @Transactional
    public Bulk.Result bulkUpsert(OrbitaPrincipal by, List<Bulk.Item<ProductInput>> items) {
        Bulk.Result result = Bulk.each(items, (i, in) -> upsertItem(by, i, in));
        if (result.created() + result.updated() > 0) {
            audit.record(by, "products.upserted", "product", null, Map.of("created", result.created(), "updated", result.updated()));
        }
        return result;
    }

    private Bulk.ItemResult upsertItem(OrbitaPrincipal by, int index, ProductInput in) {
        Problems p = new Problems();
        String sku = in.sku() == null ? null : in.sku().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (sku == null || sku.length() > 100) {
            p.add("sku", "field.required", "sku is required (up to 100 characters)");
            return Bulk.ItemResult.error(index, p.list());
        }
        Optional<Product> existing = findBySku(by.workspace(), sku);
        Product base = existing.orElse(null);
        String name = text(in.name(), base == null ? null : base.name(), "name", p);
        if (name == null) {
            p.add("name", "field.required", "name is required");
        }
        String category = text(in.category(), base == null ? null : base.category(), "category", p);
        BigDecimal price = Money.amount(in.price(), base == null ? null : base.price(), "price", false, p);
        String currency = Money.currency(in.currency(), base == null ? null : base.currency(), p);
        boolean active = base == null || base.active();
        if (in.active() != null) {
            String a = in.active().orElse("true").strip().toLowerCase(java.util.Locale.ROOT);
            if (!a.equals("true") && !a.equals("false")) {
                p.add("active", "json.type", "active must be true or false");
            }
            active = !a.equals("false");
        }
        if (!p.isEmpty()) {
            return Bulk.ItemResult.error(index, p.list());
        }
        Timestamp now = Timestamp.from(clock.instant());
        if (base == null) {
            long id = jdbc.sql("""
                            insert into product (workspace_id, sku, name, category, price, currency, active, created_at, updated_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                    .params(by.workspace().value(), sku, name, category, price, currency, active, now, now)
                    .query(Long.class).single();
            return new Bulk.ItemResult(index, "created", id, List.of());
        }
        boolean same = java.util.Objects.equals(name, base.name()) && java.util.Objects.equals(category, base.category())
                && (price == null ? base.price() == null : base.price() != null && price.compareTo(base.price()) == 0)
                && currency.equals(base.currency()) && active == base.active();
        if (!same) {
            jdbc.sql("""
                            update product set name = ?, category = ?, price = ?, currency = ?, active = ?, updated_at = ?
                            where workspace_id = ? and id = ?""")
                    .params(name, category, price, currency, active, now, by.workspace().value(), base.id()).update();
        }
        return new Bulk.ItemResult(index, same ? "unchanged" : "updated", base.id(), List.of());
    }

    @Transactional
    public void delete(OrbitaPrincipal by, long id) {
        Product p = get(by.workspace(), id);
        jdbc.sql("delete from product where workspace_id = ? and id = ?").params(by.workspace().value(), id).update();
        audit.record(by, "product.deleted", "product", id, Map.of("sku", p.sku()));
    }

    /** Declares that {@code relatedId} goes with {@code productId} as the given kind of complement or upgrade. */
    @Transactional
    public void relate(OrbitaPrincipal by, long productId, long relatedId, String kind) {
        get(by.workspace(), productId);
        if (kind == null || !RelatedProduct.MANUAL_KINDS.contains(kind)) {
            throw new ValidationException(FieldProblem.of("kind", "relation.kind", "kind must be first_necessity, secondary or upgrade"));
        }
        if (productId == relatedId) {
            throw new ValidationException(FieldProblem.of("relatedId", "relation.self", "a product cannot relate to itself"));
        }
        jdbc.sql("select 1 from product where workspace_id = ? and id = ?").params(by.workspace().value(), relatedId)
                .query(Integer.class).optional()
                .orElseThrow(() -> new ValidationException(FieldProblem.of("relatedId", "product.unknown", "no such product in this workspace")));
        jdbc.sql("insert into product_relation (workspace_id, product_id, related_id, kind) values (?, ?, ?, ?) on conflict do nothing")
                .params(by.workspace().value(), productId, relatedId, kind).update();
        audit.record(by, "product.related", "product", productId, Map.of("relatedId", relatedId, "kind", kind));
    }

    @Transactional
    public void unrelate(OrbitaPrincipal by, long productId, long relatedId, String kind) {
        int n = jdbc.sql("delete from product_relation where workspace_id = ? and product_id = ? and related_id = ? and kind = ?")
                .params(by.workspace().value(), productId, relatedId, kind).update();
        if (n == 0) {
            throw new NotFoundException("product relation", productId + "/" + relatedId);
        }
    }

    /**
     * Manual relations first, then products most often bought in the same order (purchases only), so cross-sell works
     * even before anyone has entered relations by hand.
     */
    public List<RelatedProduct> related(WorkspaceId ws, long productId, int limit) {
        get(ws, productId);
        List<RelatedProduct> out = new ArrayList<>(jdbc.sql("""
                        select p.id, p.sku, p.name, r.kind from product_relation r
                        join product p on p.workspace_id = r.workspace_id and p.id = r.related_id
                        where r.workspace_id = ? and r.product_id = ? order by r.kind, p.name""")
                .params(ws.value(), productId)
                .query((rs, n) -> new RelatedProduct(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), null))
                .list());
        out.addAll(jdbc.sql("""
                        select p.id, p.sku, p.name, count(distinct a.order_id) as together
                        from order_line a
                        join customer_order o on o.workspace_id = a.workspace_id and o.id = a.order_id and o.""" + OrderStatus.COUNTS_AS_PURCHASE + """

                        join order_line b on b.workspace_id = a.workspace_id and b.order_id = a.order_id and b.product_id <> a.product_id
                        join product p on p.workspace_id = b.workspace_id and p.id = b.product_id
                        where a.workspace_id = ? and a.product_id = ?
                        group by p.id, p.sku, p.name
                        order by together desc, p.id limit ?""")
                .params(ws.value(), productId, limit)
                .query((rs, n) -> new RelatedProduct(rs.getLong(1), rs.getString(2), rs.getString(3), "bought_together", rs.getLong(4)))
                .list());
        return out;
    }

    private static String text(Optional<String> in, String current, String field, Problems p) {
        if (in == null) {
            return current;
        }
        String v = in.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (v != null && (v.length() > 300 || v.codePoints().anyMatch(Character::isISOControl))) {
            p.add(field, "field.tooLong", field + " must be one line of at most 300 characters", 300);
            return current;
        }
        return v;
    }

    private static final String SELECT = "select id, sku, name, category, price, currency, active, created_at, updated_at from product ";

    private static Product map(ResultSet rs, int n) throws SQLException {
        return new Product(rs.getLong("id"), rs.getString("sku"), rs.getString("name"), rs.getString("category"),
                rs.getBigDecimal("price"), rs.getString("currency"), rs.getBoolean("active"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
