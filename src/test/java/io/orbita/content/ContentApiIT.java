package io.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import io.orbita.workspace.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ContentApiIT extends OrbitaIT {

    @Test
    void templatesAreVersionedAndRestorable() {
        var ws = newWorkspace();
        var created = post("/api/v1/templates", ws.apiKey(), Map.of("name", "Приветствие", "kind", "content",
                "scenario", "welcome", "subject", "{{ contact.name }}, добро пожаловать", "html", "<p>Версия 1</p>"));
        assertThat(created.status()).isEqualTo(201);
        long id = created.body().get("id").asLong();
        assertThat(created.body().get("version").asInt()).isEqualTo(1);

        var changed = api("PATCH", "/api/v1/templates/" + id, ws.apiKey(), Map.of("html", "<p>Версия 2</p>"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().get("version").asInt()).isEqualTo(2);
        assertThat(changed.body().get("subject").asString()).isEqualTo("{{ contact.name }}, добро пожаловать");

        JsonNode versions = get("/api/v1/templates/" + id + "/versions", ws.apiKey()).body();
        assertThat(versions.size()).isEqualTo(2);
        assertThat(versions.get(0).get("version").asInt()).isEqualTo(2);
        assertThat(versions.get(1).get("html").asString()).isEqualTo("<p>Версия 1</p>");

        var restored = post("/api/v1/templates/" + id + "/versions/1/restore", ws.apiKey(), null);
        assertThat(restored.body().get("version").asInt()).isEqualTo(3);
        assertThat(restored.body().get("html").asString()).isEqualTo("<p>Версия 1</p>");
        assertThat(get("/api/v1/templates?q=привет", ws.apiKey()).body().get("items").size()).isEqualTo(1);
        assertThat(get("/api/v1/templates?kind=promo", ws.apiKey()).body().get("items").size()).isZero();

        assertThat(api("DELETE", "/api/v1/templates/" + id, ws.apiKey(), null).status()).isEqualTo(204);
        assertThat(get("/api/v1/templates/" + id, ws.apiKey()).status()).isEqualTo(404);
    }

    @Test
    void badInputIsExplained() {
        var ws = newWorkspace();
        var r = post("/api/v1/templates", ws.apiKey(), Map.of("name", "x", "kind", "spam", "subject", "s", "html", "<p>x</p>"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("errors").get(0).get("field").asString()).isEqualTo("kind");

        var syntax = post("/api/v1/templates", ws.apiKey(), Map.of("name", "x", "kind", "news", "subject", "s",
                "html", "<p>один</p>\n<p>{% if contact.name %}два</p>"));
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(syntax.body().get("errors").get(0).get("field").asString()).isEqualTo("html");
        assertThat(syntax.body().get("errors").get(0).get("message").asString()).contains("line 2");

        var filter = post("/api/v1/templates", ws.apiKey(), Map.of("name", "x", "kind", "news", "subject", "s",
                "html", "<p>{{ contact.name | nosuchfilter }}</p>"));
        assertThat(filter.status()).isEqualTo(400);
        assertThat(filter.body().get("errors").get(0).get("message").asString()).contains("nosuchfilter");

        var unknown = post("/api/v1/templates", ws.apiKey(), Map.of("name", "x", "kind", "news", "subject", "s", "html", "x", "sbject", "y"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().toString()).contains("sbject");

        var noSlot = post("/api/v1/layouts", ws.apiKey(), Map.of("name", "Бренд", "html", "<div>без слота</div>"));
        assertThat(noSlot.status()).isEqualTo(400);
        assertThat(noSlot.body().get("errors").get(0).get("code").asString()).isEqualTo("layout.noSlot");
        var badName = post("/api/v1/snippets", ws.apiKey(), Map.of("name", "../etc/passwd", "body", "x"));
        assertThat(badName.status()).isEqualTo(400);
    }

    @Test
    void previewRendersForAContactWithManagerOrdersLayoutAndSnippets() {
        var ws = newWorkspace();
        long managerId = ws.ownerId();
        long contactId = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "olga@zavod.ru", "firstName", "Ольга",
                "lastName", "Кузнецова", "position", "Главный <технолог>", "managerId", managerId)).body().get("id").asLong();
        post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "SCOPE", "name", "Микроскоп", "price", 100000));
        post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "LAMP", "name", "Осветитель", "price", 7000));
        long scope = get("/api/v1/products?q=SCOPE", ws.apiKey()).body().get("items").get(0).get("id").asLong();
        long lamp = get("/api/v1/products?q=LAMP", ws.apiKey()).body().get("items").get(0).get("id").asLong();
        post("/api/v1/products/" + scope + "/relations", ws.apiKey(), Map.of("relatedId", lamp, "kind", "first_necessity"));
        post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "Z-77", "contactId", contactId, "placedAt", "2026-11-01",
                "status", "paid", "lines", List.of(Map.of("sku", "SCOPE", "quantity", 1))));

        long layoutId = post("/api/v1/layouts", ws.apiKey(), Map.of("name", "Бренд",
                "html", "<html><head><style>p { color: #333; } @media (max-width: 600px) { p { font-size: 18px; } }</style></head><body>{{ content }}<footer>{% include 'signature' %}</footer></body></html>"))
                .body().get("id").asLong();
        post("/api/v1/snippets", ws.apiKey(), Map.of("name", "signature", "body", "<p>{{ manager.name }}, {{ manager.email }}</p>"));
        long id = post("/api/v1/templates", ws.apiKey(), Map.of("name", "После покупки", "kind", "content", "scenario", "post_sale",
                "subject", "{{ contact.name }}, как вам {{ orders.first.lines.first.name }}?",
                "html", "<p>{{ contact.position }}</p>{% for p in recommended %}<p class=\"rec\">{{ p.name }} за {{ p.price | money }}</p>{% endfor %}<p>{{ data.coupon }}</p><a href=\"{{ links.unsubscribe }}\">Отписаться</a>",
                "layoutId", layoutId)).body().get("id").asLong();

        var r = post("/api/v1/templates/" + id + "/preview", ws.apiKey(), Map.of("contactId", contactId, "data", Map.of("coupon", "СКИДКА10")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("subject").asString()).isEqualTo("Ольга, как вам Микроскоп?");
        String html = r.body().get("html").asString();
        assertThat(html).contains("Главный &lt;технолог&gt;", "Осветитель за 7&nbsp;000&nbsp;₽", "СКИДКА10", ws.ownerEmail())
                .contains("style=\"color: #333;\"").contains("@media (max-width: 600px)");
        assertThat(r.body().get("text").asString()).contains("Главный <технолог>", "Отписаться (https://orbita.invalid/unsubscribe)");
        assertThat(r.body().get("warnings").size()).isZero();

        var sample = post("/api/v1/templates/" + id + "/preview", ws.apiKey(), Map.of());
        assertThat(sample.body().get("subject").asString()).isEqualTo("Иван, как вам Микроскоп МБС-10?");
        assertThat(sample.body().get("warnings").toString()).contains("data.coupon");

        var inline = post("/api/v1/templates/preview", ws.apiKey(), Map.of("subject", "{{ contact.nme }}", "html", "<p>{{ contact.email }}</p>", "contactId", contactId));
        assertThat(inline.body().get("html").asString()).contains("olga@zavod.ru");
        assertThat(inline.body().get("warnings").get(0).asString()).isEqualTo("unknown variable contact.nme");

        assertThat(api("DELETE", "/api/v1/layouts/" + layoutId, ws.apiKey(), null).status()).isEqualTo(409);
    }

    @Test
    void analystsReadButDoNotWrite() {
        var ws = newWorkspace(Role.ANALYST);
        assertThat(get("/api/v1/templates", ws.apiKey()).status()).isEqualTo(200);
        assertThat(post("/api/v1/templates", ws.apiKey(), Map.of("name", "x", "kind", "news", "subject", "s", "html", "x")).status()).isEqualTo(403);
        assertThat(post("/api/v1/snippets", ws.apiKey(), Map.of("name", "x", "body", "x")).status()).isEqualTo(403);
    }
}
