package io.orbita.commerce;

import io.orbita.audience.ImportResults;
import io.orbita.audience.ImportTarget;
import io.orbita.platform.Bulk;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.WorkspaceId;
import io.orbita.workspace.OrbitaPrincipal;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Products and orders for the import wizard, through the same upserts as the API: products by SKU, orders by external
 * id. An order row holds the order and, optionally, a single line (sku, quantity, price); orders with several lines
 * come through the API.
 */
@Configuration(proxyBeanMethods = false)
class CommerceImportTargets {

    @Bean
    ImportTarget productImport(Products products) {
        return new ImportTarget() {
            @Override
            public String kind() {
                return "products";
            }

            @Override
            public String table() {
                return "product";
            }

            @Override
            public List<Field> fields(WorkspaceId ws) {
                return List.of(new Field("sku", "product.sku", true, List.of("sku", "артикул", "код", "код товара")),
                        new Field("name", "product.name", false, List.of("name", "название", "наименование", "товар")),
                        new Field("category", "product.category", false, List.of("category", "категория", "группа")),
                        new Field("price", "product.price", false, List.of("price", "цена", "стоимость")),
                        new Field("currency", "product.currency", false, List.of("currency", "валюта")),
                        new Field("active", "product.active", false, List.of("active", "активен", "в продаже")));
            }

            @Override
            public Result apply(OrbitaPrincipal by, Batch batch) {
                List<Bulk.Item<Products.ProductInput>> items = new ArrayList<>();
                for (Row row : batch.rows()) {
                    Map<String, String> v = row.values();
                    List<FieldProblem> problems = new ArrayList<>();
                    Optional<BigDecimal> price = decimal(v, "price", problems);
                    items.add(problems.isEmpty() ? Bulk.Item.of(new Products.ProductInput(opt(v, "sku"), opt(v, "name"),
                            opt(v, "category"), price, opt(v, "currency"), opt(v, "active"))) : Bulk.Item.invalid(problems));
                }
                return ImportResults.of(products.bulkUpsert(by, items), batch);
            }
        };
    }

    @Bean
    ImportTarget orderImport(Orders orders) {
        return new ImportTarget() {
            @Override
            public String kind() {
                return "orders";
            }

            @Override
            public String table() {
                return "customer_order";
            }

            @Override
            public List<Field> fields(WorkspaceId ws) {
                return List.of(new Field("externalId", "order.number", true, List.of("externalid", "номер", "номер заказа", "заказ", "order", "order id")),
                        new Field("contactEmail", "contact.email", false, List.of("email", "e-mail", "почта", "покупатель")),
                        new Field("placedAt", "order.date", false, List.of("date", "дата", "дата заказа", "placed at")),
                        new Field("status", "order.status", false, List.of("status", "статус")),
                        new Field("total", "order.total", false, List.of("total", "сумма", "итого")),
                        new Field("currency", "product.currency", false, List.of("currency", "валюта")),
                        new Field("sku", "product.sku", false, List.of("sku", "артикул")),
                        new Field("quantity", "order.quantity", false, List.of("quantity", "количество", "кол-во")),
                        new Field("price", "product.price", false, List.of("price", "цена")));
            }

            @Override
            public Result apply(OrbitaPrincipal by, Batch batch) {
                List<Bulk.Item<Orders.OrderInput>> items = new ArrayList<>();
                for (Row row : batch.rows()) {
                    Map<String, String> v = row.values();
                    List<FieldProblem> problems = new ArrayList<>();
                    Optional<Instant> placedAt = instant(v, problems);
                    Optional<BigDecimal> total = decimal(v, "total", problems);
                    List<Orders.LineInput> lines = null;
                    if (v.containsKey("sku")) {
                        lines = List.of(new Orders.LineInput(opt(v, "sku"), null, null, decimal(v, "quantity", problems),
                                decimal(v, "price", problems)));
                    }
                    if (!problems.isEmpty()) {
                        items.add(Bulk.Item.invalid(problems));
                        continue;
                    }
                    items.add(Bulk.Item.of(new Orders.OrderInput(v.get("externalId"), null, opt(v, "contactEmail"), null,
                            placedAt, opt(v, "status"), total, opt(v, "currency"), lines)));
                }
                return ImportResults.of(orders.bulkUpsert(by, items), batch);
            }
        };
    }

    private static Optional<String> opt(Map<String, String> v, String key) {
        return v.containsKey(key) ? Optional.of(v.get(key)) : null;
    }

    private static Optional<BigDecimal> decimal(Map<String, String> v, String key, List<FieldProblem> problems) {
        if (!v.containsKey(key)) {
            return null;
        }
        try {
            return Optional.of(new BigDecimal(v.get(key).replace(" ", "").replace("\u00A0", "").replace(',', '.')));
        } catch (NumberFormatException e) {
            problems.add(FieldProblem.of(key, "json.type", key + " must be a number"));
            return null;
        }
    }

    /** Dates as spreadsheets hold them: ISO, DD.MM.YYYY, or a date-time; read in Moscow time. */
    private static Optional<Instant> instant(Map<String, String> v, List<FieldProblem> problems) {
        String t = v.get("placedAt");
        if (t == null) {
            return null;
        }
        try {
            if (t.matches("\\d{1,2}\\.\\d{1,2}\\.\\d{4}.*")) {
                String[] d = t.substring(0, t.indexOf(' ') < 0 ? t.length() : t.indexOf(' ')).split("\\.");
                return Optional.of(LocalDate.of(Integer.parseInt(d[2]), Integer.parseInt(d[1]), Integer.parseInt(d[0]))
                        .atStartOfDay(Orders.DEFAULT_ZONE).toInstant());
            }
            if (t.length() == 10) {
                return Optional.of(LocalDate.parse(t).atStartOfDay(Orders.DEFAULT_ZONE).toInstant());
            }
            return Optional.of(LocalDateTime.parse(t.replace(' ', 'T')).atZone(Orders.DEFAULT_ZONE).toInstant());
        } catch (RuntimeException e) {
            problems.add(FieldProblem.of("placedAt", "date.invalid", "the date must be DD.MM.YYYY or YYYY-MM-DD"));
            return null;
        }
    }
}
