package io.orbita.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every page renders for its owner in Russian and in English, with every text translated. */
class PagesIT extends OrbitaIT {

    @org.springframework.beans.factory.annotation.Autowired
    io.orbita.audience.Imports imports;

    @ParameterizedTest
    @ValueSource(strings = {"ru", "en"})
    void everyPageRendersWithoutMissingTexts(String lang) throws Exception {
        TestWorkspace ws = newWorkspace();
        long company = post("/api/v1/companies", ws.apiKey(), Map.of("name", "ООО «Ромашка»", "inn", "7707083893")).body().get("id").asLong();
        long contact = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "page@romashka.ru", "companyId", company,
                "firstName", "Анна", "type", "partner")).body().get("id").asLong();
        long product = post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "SCOPE-5", "name", "Микроскоп", "price", 1000))
                .body().get("id").asLong();
        post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", "P-1", "contactId", contact, "companyId", company,
                "status", "paid", "lines", List.of(Map.of("sku", "SCOPE-5", "quantity", 1))));
        post("/api/v1/contracts/upsert", ws.apiKey(), Map.of("externalId", "D-1", "companyId", company, "plan", "Годовой",
                "startsOn", "2026-01-01", "renewsOn", "2027-01-01", "amount", 100000, "period", "year"));
        post("/api/v1/custom-fields", ws.apiKey(), Map.of("entity", "contact", "key", "level", "type", "choice", "options", List.of("A", "B")));
        post("/api/v1/site-keys", ws.apiKey(), Map.of());
        long importId = imports.upload(ws.owner(), "contacts", "база.csv", new java.io.ByteArrayInputStream(
                "E-mail;Фамилия\nivan@client.ru;Петров\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))).id();
        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        s.get("/?lang=" + lang);
        for (String page : List.of("/", "/contacts", "/contacts/" + contact, "/contacts/new", "/contacts/" + contact + "/edit",
                "/companies", "/companies/" + company, "/companies/new", "/companies/" + company + "/edit", "/settings/fields",
                "/settings/users", "/settings/api-keys", "/settings/audit", "/settings/tracker", "/profile", "/workspaces",
                "/soon/segments", "/soon/campaigns", "/soon/analytics", "/products", "/orders", "/products/" + product, "/no-such-page",
                "/settings/audit?cursor=forged", "/contacts?cursor=forged", "/contacts/not-a-number", "/imports",
                "/imports/" + importId, "/suppressions", "/suppressions?cursor=forged", "/inbound", "/inbound?kind=bounce",
                "/delivery", "/delivery/captured", "/delivery/domains")) {
            var r = s.get(page);
            assertThat(r.statusCode()).as(page).isIn(200, 400, 404);
            assertThat(r.body()).as(page + " in " + lang).doesNotContain("??").contains("<html lang=\"" + lang + "\"");
        }
    }
}
