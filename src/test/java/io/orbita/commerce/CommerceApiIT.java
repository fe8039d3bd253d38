package io.orbita.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CommerceApiIT extends OrbitaIT {

    private long contact(TestWorkspace ws, String email) {
        return post("/api/v1/contacts", ws.apiKey(), Map.of("email", email)).body().get("id").asLong();
    }

    @Test
    void productsUpsertBySkuAndReportEachBulkItem() {
        var ws = newWorkspace();
        var created = post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "LENS-50", "name", "Объектив 50 мм",
                "category", "Оптика", "price", "12 500,00"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("price").decimalValue()).isEqualByComparingTo("12500.00");
        assertThat(created.body().get("currency").asString()).isEqualTo("RUB");
        var bulk = post("/api/v1/products/bulk", ws.apiKey(), Map.of("items", List.of(
                Map.of("sku", "LENS-50", "name", "Объектив 50 мм", "category", "Оптика", "price", 12500),
                Map.of("sku", "CAP-50", "name", "Крышка", "price", 500),
                Map.of("name", "no sku"),
                Map.of("sku", "BAD", "name", "x", "price", -1))));
        JsonNode items = bulk.body().get("items");
        assertThat(items.get(0).get("status").asString()).isEqualTo("unchanged");
        assertThat(items.get(1).get("status").asString()).isEqualTo("created");
        assertThat(items.get(2).get("errors").get(0).get("field").asString()).isEqualTo("sku");
        assertThat(items.get(3).get("errors").get(0).get("field").asString()).isEqualTo("price");
        JsonNode found = get("/api/v1/products?q=lens&category=%D0%9E%D0%BF%D1%82%D0%B8%D0%BA%D0%B0", ws.apiKey()).body();
        assertThat(found.get("items").size()).isEqualTo(1);
        assertThat(found.get("items").get(0).get("sku").asString()).isEqualTo("LENS-50");
    }

    @Test
    void ordersAreIdempotentByExternalIdAndOnlyPurchasesCount() {
        var ws = newWorkspace();
        long anna = contact(ws, "anna@client.ru");
        post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "SCOPE", "name", "Микроскоп", "price", 100000));
        post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "SLIDES", "name", "Предметные стёкла", "price", 1500));
        Map<String, Object> order = Map.of("externalId", "SHOP-1001", "contactEmail", "ANNA@client.ru",
                "placedAt", "2026-10-01T12:00:00+03:00", "status", "paid",
                "lines", List.of(Map.of("sku", "SCOPE", "quantity", 1), Map.of("sku", "SLIDES", "quantity", 2)));
        var first = post("/api/v1/orders/upsert", ws.apiKey(), order);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().get("total").decimalValue()).isEqualByComparingTo("103000.00");
        assertThat(first.body().get("lines").size()).isEqualTo(2);
        var again = post("/api/v1/orders/upsert", ws.apiKey(), order);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("id").asLong()).isEqualTo(first.body().get("id").asLong());

        post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "SHOP-1002", "contactId", anna,
                "placedAt", "2026-11-01", "total", 7000, "status", "placed"));
        post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "SHOP-1003", "contactId", anna,
                "placedAt", "2026-11-10", "total", 50000, "status", "cancelled"));

        JsonNode purchases = get("/api/v1/contacts/" + anna + "/purchases", ws.apiKey()).body();
        assertThat(purchases.get("summary").get("orders").asLong()).isEqualTo(2);
        assertThat(purchases.get("summary").get("revenue").decimalValue()).isEqualByComparingTo("110000.00");
        assertThat(purchases.get("summary").get("averageCheck").decimalValue()).isEqualByComparingTo("55000.00");
        assertThat(purchases.get("recentOrders").size()).isEqualTo(3);
        assertThat(get("/api/v1/orders?contactId=" + anna + "&limit=2", ws.apiKey()).body().get("items").size()).isEqualTo(2);

        // Refunding the first order takes it out of the figures.
        post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "SHOP-1001", "status", "refunded"));
        JsonNode after = get("/api/v1/contacts/" + anna + "/purchases", ws.apiKey()).body().get("summary");
        assertThat(after.get("orders").asLong()).isEqualTo(1);
        assertThat(after.get("revenue").decimalValue()).isEqualByComparingTo("7000.00");
    }

    @Test
    void invalidOrdersNameTheProblem() {
        var ws = newWorkspace();
        var r = post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "X-1", "contactEmail", "nobody@nowhere.ru",
                "status", "lost", "lines", List.of(Map.of("quantity", 0))));
        assertThat(r.status()).isEqualTo(400);
        List<String> fields = new java.util.ArrayList<>();
        r.body().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).contains("contactEmail", "status", "lines[0].sku");
        var typo = post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "X-2", "totl", 5));
        assertThat(typo.body().get("errors").get(0).get("field").asString()).isEqualTo("totl");
    }

    @Test
    void boughtTogetherComesFromOrderHistoryAfterManualRelations() {
        var ws = newWorkspace();
        long c = contact(ws, "buyer@client.ru");
        long scope = post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "SCOPE", "name", "Микроскоп", "price", 100)).body().get("id").asLong();
        long slides = post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "SLIDES", "name", "Стёкла", "price", 1)).body().get("id").asLong();
        long lamp = post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "LAMP", "name", "Лампа", "price", 5)).body().get("id").asLong();
        long upgrade = post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "SCOPE-PRO", "name", "Микроскоп Pro", "price", 300)).body().get("id").asLong();
        for (int i = 0; i < 3; i++) {
            post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "O" + i, "contactId", c,
                    "lines", i < 2 ? List.of(Map.of("sku", "SCOPE"), Map.of("sku", "SLIDES")) : List.of(Map.of("sku", "SCOPE"), Map.of("sku", "LAMP"))));
        }
        post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "O-cancelled", "contactId", c, "status", "cancelled",
                "lines", List.of(Map.of("sku", "SCOPE"), Map.of("sku", "LAMP")), "placedAt", "2026-01-01"));
        assertThat(post("/api/v1/products/" + scope + "/relations", ws.apiKey(), Map.of("relatedId", upgrade, "kind", "upgrade")).status())
                .isEqualTo(204);
        JsonNode related = get("/api/v1/products/" + scope + "/related", ws.apiKey()).body();
        assertThat(related.get(0).get("productId").asLong()).isEqualTo(upgrade);
        assertThat(related.get(0).get("kind").asString()).isEqualTo("upgrade");
        assertThat(related.get(1).get("productId").asLong()).isEqualTo(slides);
        assertThat(related.get(1).get("ordersTogether").asLong()).isEqualTo(2);
        assertThat(related.get(2).get("productId").asLong()).isEqualTo(lamp);
        assertThat(related.get(2).get("ordersTogether").asLong()).isEqualTo(1);
    }

    @Test
    void contractsWithRenewalDatesAreListedForReminders() {
        var ws = newWorkspace();
        long c = contact(ws, "cfo@client.ru");
        var created = post("/api/v1/contracts/upsert", ws.apiKey(), Map.of("externalId", "DOG-7", "contactId", c,
                "plan", "Сервис Про", "startsOn", "01.01.2026", "renewsOn", java.time.LocalDate.now().plusDays(10).toString(),
                "amount", 45000, "period", "month"));
        assertThat(created.status()).isEqualTo(201);
        post("/api/v1/contracts/upsert", ws.apiKey(), Map.of("externalId", "DOG-8", "contactId", c, "plan", "Старый",
                "startsOn", "2025-01-01", "renewsOn", java.time.LocalDate.now().plusDays(5).toString(), "status", "cancelled"));
        JsonNode renewing = get("/api/v1/contracts/renewing?days=30", ws.apiKey()).body();
        assertThat(renewing.size()).as(renewing.toString()).isEqualTo(1);
        assertThat(renewing.get(0).get("externalId").asString()).isEqualTo("DOG-7");
        var bad = post("/api/v1/contracts/upsert", ws.apiKey(), Map.of("externalId", "DOG-9", "contactId", c, "plan", "X",
                "startsOn", "2026-05-01", "renewsOn", "2026-01-01"));
        assertThat(bad.body().get("errors").get(0).get("field").asString()).isEqualTo("renewsOn");
    }

    @Test
    void contactCardShowsThePurchases() {
        var ws = newWorkspace();
        long c = contact(ws, "card@client.ru");
        post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "CARD-1", "contactId", c, "total", 4882704,
                "status", "paid", "placedAt", "2026-09-15"));
        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        String page = s.get("/contacts/" + c).body();
        assertThat(page).contains("CARD-1", "4 882 704,00");
    }
}
