package io.orbita.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class ActivityIT extends OrbitaIT {

    @Autowired
    JdbcClient jdbc;

    private long contact(TestWorkspace ws, String email) {
        return post("/api/v1/contacts", ws.apiKey(), Map.of("email", email)).body().get("id").asLong();
    }

    @Test
    void replayedIdempotencyKeysStoreNothingTwice() {
        var ws = newWorkspace();
        long c = contact(ws, "events@client.ru");
        Map<String, Object> batch = Map.of("events", List.of(
                Map.of("type", "page_viewed", "contactId", c, "properties", Map.of("path", "/prices"), "idempotencyKey", "k1"),
                Map.of("type", "product_viewed", "email", "EVENTS@client.ru", "properties", Map.of("sku", "SCOPE"), "idempotencyKey", "k2"),
                Map.of("type", "Bad Type", "contactId", c),
                Map.of("type", "page_viewed", "email", "stranger@nowhere.ru")));
        JsonNode first = post("/api/v1/events", ws.apiKey(), batch).body();
        assertThat(first.get("created").asInt()).isEqualTo(2);
        assertThat(first.get("failed").asInt()).isEqualTo(2);
        assertThat(first.get("items").get(2).get("errors").get(0).get("field").asString()).isEqualTo("type");
        assertThat(first.get("items").get(3).get("errors").get(0).get("field").asString()).isEqualTo("email");
        JsonNode again = post("/api/v1/events", ws.apiKey(), batch).body();
        assertThat(again.get("created").asInt()).isZero();
        assertThat(again.get("unchanged").asInt()).isEqualTo(2);
        long stored = jdbc.sql("select count(*) from activity_event where workspace_id = ?").param(ws.id().value())
                .query(Long.class).single();
        assertThat(stored).isEqualTo(2);
        // Stored in this month's partition, not the catch-all default one.
        long inDefault = jdbc.sql("select count(*) from activity_event_default where workspace_id = ?").param(ws.id().value())
                .query(Long.class).single();
        assertThat(inDefault).isZero();
    }

    @Autowired
    EventLogHousekeeping housekeeping;

    @Test
    void idempotencyKeysAreForgottenAfterThirtyDays() {
        var ws = newWorkspace();
        long c = contact(ws, "old-keys@client.ru");
        Map<String, Object> batch = Map.of("events", List.of(Map.of("type", "page_viewed", "contactId", c, "idempotencyKey", "old-key")));
        post("/api/v1/events", ws.apiKey(), batch);
        jdbc.sql("update activity_idempotency set created_at = now() - interval '31 days' where workspace_id = ?")
                .param(ws.id().value()).update();
        housekeeping.forgetOldIdempotencyKeys();
        assertThat(post("/api/v1/events", ws.apiKey(), batch).body().get("created").asInt()).isEqualTo(1);
    }

    @Test
    void anonymousVisitorEventsMoveToTheContactOnIdentify() {
        var ws = newWorkspace();
        long c = contact(ws, "visitor@client.ru");
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(
                Map.of("type", "page_viewed", "visitorId", "v-123", "occurredAt", "2026-11-01T10:00:00+03:00"),
                Map.of("type", "product_viewed", "visitorId", "v-123", "occurredAt", "2026-11-01T10:01:00+03:00"))));
        JsonNode identified = post("/api/v1/events/identify", ws.apiKey(), Map.of("visitorId", "v-123", "email", "visitor@client.ru")).body();
        assertThat(identified.get("eventsAttached").asInt()).isEqualTo(2);
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(
                Map.of("type", "content_viewed", "visitorId", "v-123", "occurredAt", "2026-11-01T10:05:00+03:00"))));
        JsonNode timeline = get("/api/v1/contacts/" + c + "/timeline", ws.apiKey()).body();
        List<String> types = new ArrayList<>();
        timeline.get("items").forEach(e -> types.add(e.get("kind").asString() + ":" + e.get("type").asString()));
        assertThat(types).startsWith("consent:subscribed").contains("event:content_viewed", "event:product_viewed", "event:page_viewed");
        assertThat(types.indexOf("event:content_viewed")).isLessThan(types.indexOf("event:page_viewed"));
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(Map.of("type", "webinar_registered", "contactId", c))));
        String card = login(ws.ownerEmail(), ws.ownerPassword()).get("/contacts/" + c).body();
        assertThat(card).contains("webinar_registered").doesNotContain("??timeline");
    }

    @Test
    void timelineMergesSourcesNewestFirstAndPagesWithoutGaps() {
        var ws = newWorkspace();
        long c = contact(ws, "timeline@client.ru");
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(Map.of("type", "page_viewed", "contactId", c, "occurredAt", "2026-10-01T10:00:00Z", "properties", Map.of("n", i)));
        }
        post("/api/v1/events", ws.apiKey(), Map.of("events", events));
        post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "T-1", "contactId", c, "total", 100,
                "placedAt", "2026-10-02T00:00:00Z"));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/api/v1/contacts/" + c + "/timeline?limit=7" + (cursor == null ? "" : "&cursor=" + cursor), ws.apiKey()).body();
            page.get("items").forEach(e -> seen.add(e.get("kind").asString() + e.get("id").asLong()));
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asString() : null;
        } while (cursor != null);
        assertThat(seen).hasSize(32).doesNotHaveDuplicates();
        assertThat(seen.get(0)).startsWith("consent");
        assertThat(seen.get(1)).startsWith("order");
    }

    @Test
    void cartUpdatesKeepTheCartUntilAnOrderClearsIt() {
        var ws = newWorkspace();
        long c = contact(ws, "cart@client.ru");
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(Map.of("type", "cart_updated", "contactId", c,
                "properties", Map.of("lines", List.of(Map.of("sku", "SCOPE", "name", "Микроскоп", "quantity", 2, "price", 1500)))))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode carts = get("/api/v1/carts/abandoned?idleMinutes=0", ws.apiKey()).body();
            assertThat(carts.size()).isEqualTo(1);
            assertThat(carts.get(0).get("total").decimalValue()).isEqualByComparingTo("3000.00");
        });
        assertThat(get("/api/v1/carts/abandoned", ws.apiKey()).body().size()).as("not idle for an hour yet").isZero();
        post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "CART-1", "contactId", c, "total", 3000));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/api/v1/carts/abandoned?idleMinutes=0", ws.apiKey()).body().size()).isZero());
    }

    /**
     * A visitor fills a cart before signing in: identify makes it the contact's cart (so the abandoned-cart letter can
     * go), but an older anonymous cart never replaces a newer one the contact already has.
     */
    @Test
    void aCartFilledBeforeIdentifyBecomesTheContactsCart() {
        var ws = newWorkspace();
        long c = contact(ws, "anonymous-cart@client.ru");
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(
                Map.of("type", "cart_updated", "visitorId", "v-cart", "occurredAt", "2026-11-01T10:00:00Z",
                        "properties", Map.of("lines", List.of(Map.of("sku", "DRILL", "name", "Дрель", "quantity", 1, "price", 4200)))))));
        assertThat(post("/api/v1/events/identify", ws.apiKey(), Map.of("visitorId", "v-cart", "email", "anonymous-cart@client.ru"))
                .body().get("eventsAttached").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode carts = get("/api/v1/carts/abandoned?idleMinutes=0", ws.apiKey()).body();
            assertThat(carts.size()).isEqualTo(1);
            assertThat(carts.get(0).get("contactId").asLong()).isEqualTo(c);
            assertThat(carts.get(0).get("total").decimalValue()).isEqualByComparingTo("4200.00");
        });
        // The contact's own cart, in the API and on the card.
        var ownCart = get("/api/v1/contacts/" + c + "/cart", ws.apiKey());
        assertThat(ownCart.status()).isEqualTo(200);
        assertThat(ownCart.body().get("lines").get(0).get("name").asString()).isEqualTo("Дрель");
        assertThat(ownCart.body().get("abandoned").asBoolean()).as("changed long ago (occurredAt 2026-11-01)").isTrue();
        var browser = login(ws.ownerEmail(), ws.ownerPassword());
        assertThat(browser.get("/contacts/" + c).body()).contains("id=\"cart\"", "Дрель").doesNotContain("??cart");
        // Abandoned after the configured hour: listed for marketers, linked to the card's cart.
        assertThat(browser.get("/carts").body()).contains("anonymous-cart@client.ru", "/contacts/" + c + "#cart")
                .doesNotContain("??carts");

        long d = contact(ws, "newer-cart@client.ru");
        assertThat(get("/api/v1/contacts/" + d + "/cart", ws.apiKey()).status()).as("no cart yet").isEqualTo(204);
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(Map.of("type", "cart_updated", "contactId", d,
                "occurredAt", "2026-11-02T10:00:00Z", "properties", Map.of("lines", List.of(Map.of("sku", "SAW", "quantity", 1, "price", 900)))))));
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(
                Map.of("type", "cart_updated", "visitorId", "v-old", "occurredAt", "2026-11-01T09:00:00Z",
                        "properties", Map.of("lines", List.of(Map.of("sku", "DRILL", "quantity", 3, "price", 4200)))))));
        post("/api/v1/events/identify", ws.apiKey(), Map.of("visitorId", "v-old", "email", "newer-cart@client.ru"));
        // The listener counts the attached events into the contact's event figures in the same transaction as the cart:
        // two cart events counted means the anonymous cart has been looked at.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(jdbc.sql("select total from contact_event_summary where workspace_id = ? and contact_id = ? and type = 'cart_updated'")
                        .params(ws.id().value(), d).query(Long.class).optional()).contains(2L));
        JsonNode carts = get("/api/v1/carts/abandoned?idleMinutes=0", ws.apiKey()).body();
        List<String> totals = new ArrayList<>();
        carts.forEach(cart -> totals.add(cart.get("contactId").asLong() + ":" + cart.get("total").decimalValue().stripTrailingZeros().toPlainString()));
        assertThat(totals).containsExactlyInAnyOrder(c + ":4200", d + ":900");
    }

    @Test
    void cartsFollowMixedBatchesAndSkipBatchesWithoutCartEvents() {
        var ws = newWorkspace();
        long c = contact(ws, "mixed-cart@client.ru");
        // Page views only: the cart listener is not even registered for this batch (its condition), nothing changes.
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(Map.of("type", "page_viewed", "contactId", c))));
        // A cart event among page views is still seen; an order event in a later batch clears the cart.
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(
                Map.of("type", "page_viewed", "contactId", c),
                Map.of("type", "cart_updated", "contactId", c, "occurredAt", "2026-01-10T10:00:00Z",
                        "properties", Map.of("lines", List.of(Map.of("sku", "LENS", "quantity", 1, "price", 700)))),
                Map.of("type", "product_viewed", "contactId", c))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode carts = get("/api/v1/carts/abandoned?idleMinutes=0", ws.apiKey()).body();
            assertThat(carts.size()).isEqualTo(1);
            assertThat(carts.get(0).get("total").decimalValue()).isEqualByComparingTo("700.00");
        });
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(
                Map.of("type", "page_viewed", "contactId", c),
                Map.of("type", "order_placed", "contactId", c, "occurredAt", "2026-01-10T11:00:00Z"))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/api/v1/carts/abandoned?idleMinutes=0", ws.apiKey()).body().size()).isZero());
    }

    @Test
    void websiteTrackerRecordsSiteEventsWithAPublicKeyOnly() throws Exception {
        var ws = newWorkspace();
        long c = contact(ws, "shopper@client.ru");
        var key = post("/api/v1/site-keys", ws.apiKey(), Map.of("allowedOrigins", List.of("https://shop.example.ru")));
        assertThat(key.status()).isEqualTo(201);
        String siteKey = key.body().get("key").asString();
        String beacon = "{\"visitorId\":\"v-web-1\",\"events\":[{\"type\":\"page_viewed\",\"properties\":{\"path\":\"/\"}},"
                + "{\"type\":\"order_placed\"}]}";
        assertThat(beacon(siteKey, "https://shop.example.ru", beacon).statusCode()).isEqualTo(204);
        assertThat(beacon(siteKey, "https://evil.example.com", beacon).statusCode()).isEqualTo(404);
        assertThat(beacon("site_000000000000000000000000", "https://shop.example.ru", beacon).statusCode()).isEqualTo(404);
        assertThat(beacon(siteKey, "https://shop.example.ru", "{not json").statusCode()).isEqualTo(400);
        assertThat(beacon(siteKey, "https://shop.example.ru",
                "{\"visitorId\":\"v-web-1\",\"identify\":{\"email\":\"shopper@client.ru\"},\"events\":[]}").statusCode()).isEqualTo(204);
        JsonNode timeline = get("/api/v1/contacts/" + c + "/timeline", ws.apiKey()).body();
        List<String> types = new ArrayList<>();
        timeline.get("items").forEach(e -> types.add(e.get("type").asString()));
        assertThat(types).contains("page_viewed").doesNotContain("order_placed");
        var script = http.send(HttpRequest.newBuilder(URI.create(url("/t.js"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("sendBeacon", "data-site-key");
    }

    private HttpResponse<String> beacon(String key, String origin, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url("/t/" + key + "/e"))).header("Origin", origin)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
