package io.orbita.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import io.orbita.workspace.Role;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class SuppressionsApiIT extends OrbitaIT {

    @Autowired
    Suppressions suppressions;

    @Autowired
    BounceAddress bounceAddress;

    @Autowired
    io.orbita.delivery.inbound.InboundProcessor processor;

    private HttpResponse<String> raw(String method, String path, String key, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + key);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void addListSearchRemoveWithValidation() {
        TestWorkspace ws = newWorkspace(Role.MARKETER);
        Api bad = post("/api/v1/suppressions", ws.apiKey(), Map.of("address", "not an address"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("errors").get(0).get("field").asString()).isEqualTo("address");
        Api unknown = post("/api/v1/suppressions", ws.apiKey(), Map.of("address", "a@b.ru", "reason", "x"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().toString()).contains("reason");
        Api missing = post("/api/v1/suppressions", ws.apiKey(), Map.of("note", "no address"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().toString()).contains("field.required");

        Api created = post("/api/v1/suppressions", ws.apiKey(), Map.of("address", " Иван.Петров@Пример.рф ", "note", "asked by phone"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("address").asString()).isEqualTo("иван.петров@пример.рф");
        assertThat(created.body().get("reason").asString()).isEqualTo("manual");
        assertThat(post("/api/v1/suppressions", ws.apiKey(), Map.of("address", "иван.петров@xn--e1afmkfd.xn--p1ai")).status())
                .as("the same address in punycode is already there").isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            post("/api/v1/suppressions", ws.apiKey(), Map.of("address", "list" + i + "@client-b.ru"));
        }
        assertThat(suppressions.isSuppressed(ws.id(), "LIST1@client-b.ru")).isTrue();
        assertThat(suppressions.suppressedAmong(ws.id(), java.util.List.of("list0@client-b.ru", "free@client-b.ru", "List2@Client-B.ru")))
                .containsExactlyInAnyOrder("list0@client-b.ru", "List2@Client-B.ru");

        JsonNode page1 = get("/api/v1/suppressions?q=client-b&limit=2", ws.apiKey()).body();
        assertThat(page1.get("items")).hasSize(2);
        String cursor = page1.get("nextCursor").asString();
        JsonNode page2 = get("/api/v1/suppressions?q=client-b&limit=2&cursor=" + cursor, ws.apiKey()).body();
        assertThat(page2.get("items")).hasSize(1);
        assertThat(page2.get("nextCursor") == null || page2.get("nextCursor").isNull()).as("last page").isTrue();
        assertThat(get("/api/v1/suppressions?reason=nonsense", ws.apiKey()).status()).isEqualTo(400);
        assertThat(get("/api/v1/suppressions?limit=100000", ws.apiKey()).status()).isEqualTo(400);

        long id = created.body().get("id").asLong();
        assertThat(api("DELETE", "/api/v1/suppressions/" + id, ws.apiKey(), null).status()).isEqualTo(204);
        assertThat(get("/api/v1/suppressions/" + id, ws.apiKey()).status()).isEqualTo(404);
        assertThat(suppressions.isSuppressed(ws.id(), "иван.петров@пример.рф")).isFalse();
    }

    @Test
    void importAndExportCsv() throws Exception {
        TestWorkspace ws = newWorkspace(Role.MARKETER);
        String csv = "\uFEFFemail;name\nanna@client-c.ru;Анна\n\"boris@client-c.ru\";Борис\nnot-an-address@;X\nanna@client-c.ru;again\n";
        HttpResponse<String> r = raw("POST", "/api/v1/suppressions/import", ws.apiKey(), "text/csv", csv);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode result = json.readTree(r.body());
        assertThat(result.get("added").asInt()).isEqualTo(2);
        assertThat(result.get("rejected")).hasSize(1);
        assertThat(raw("POST", "/api/v1/suppressions/import", ws.apiKey(), "text/csv", "").statusCode()).isEqualTo(400);

        HttpResponse<String> export = raw("GET", "/api/v1/suppressions/export", ws.apiKey(), null, null);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(export.body()).contains("address,reason", "anna@client-c.ru,import", "boris@client-c.ru,import");
    }

    @Test
    void analystsReadButDoNotChange() {
        TestWorkspace ws = newWorkspace(Role.ANALYST);
        assertThat(get("/api/v1/suppressions", ws.apiKey()).status()).isEqualTo(200);
        assertThat(post("/api/v1/suppressions", ws.apiKey(), Map.of("address", "x@client-d.ru")).status()).isEqualTo(403);
    }

    @Test
    void thePageShowsSearchesAndAddsInBothLanguages() {
        TestWorkspace ws = newWorkspace();
        suppressions.add(ws.id(), "shown@client-e.ru", Suppressions.Reason.HARD_BOUNCE, 5L, "userunknown");
        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        HttpResponse<String> ru = s.get("/suppressions?lang=ru");
        assertThat(ru.statusCode()).isEqualTo(200);
        assertThat(ru.body()).contains("Стоп-лист", "shown@client-e.ru", "Жёсткий отказ");
        HttpResponse<String> en = s.get("/suppressions?lang=en&q=nothing-like-this");
        assertThat(en.body()).contains("Suppression list", "No suppressed addresses.").doesNotContain("shown@client-e.ru");
        var added = s.post("/suppressions", Map.of("address", "<b>bad</b>"));
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).doesNotContain("<b>bad</b>").contains("&lt;b&gt;bad&lt;/b&gt;");
        var ok = s.post("/suppressions", Map.of("address", "manual@client-e.ru", "note", "просьба клиента"));
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(s.get("/suppressions").body()).contains("manual@client-e.ru", "просьба клиента");
        long contact = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "bounced@client-e.ru")).body().get("id").asLong();
        String verp = bounceAddress.encode(ws.id(), 321, "bounces.orbita-mail.ru");
        processor.process(io.orbita.delivery.inbound.InboundIT.dsn("bounced@client-e.ru", "5.1.1", "550 5.1.1 No such user", verp)
                .getBytes(StandardCharsets.UTF_8), "api", null, java.util.List.of(verp));
        HttpResponse<String> inbound = s.get("/inbound?lang=ru");
        assertThat(inbound.statusCode()).isEqualTo(200);
        assertThat(inbound.body()).contains("Входящая почта", "Отказ", "bounced@client-e.ru", "userunknown", "/contacts/" + contact,
                "bounced@client-e.ru в стоп-листе", "Контакт отмечен как недоступный").doesNotContain("??");
        assertThat(s.get("/inbound?kind=complaint&lang=en").body()).contains("No inbound mail yet.");
    }
}
