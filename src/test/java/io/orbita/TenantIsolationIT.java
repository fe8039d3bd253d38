package io.orbita;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.orbita.workspace.Role;
import io.orbita.workspace.internal.UserAccounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * For every endpoint and page that takes an id, an object of workspace A asked for with workspace B's credentials
 * answers 404 and never shows A's data. Endpoints are discovered from the running application, so a new endpoint
 * with an id is covered automatically; one whose object kind is unknown here fails the test until it is added.
 */
class TenantIsolationIT extends OrbitaIT {

    /** Values the forms ask for, so a page reaches its lookup instead of failing on a missing parameter. */
    private static final Map<String, String> PLAUSIBLE_FORM = Map.of("status", "unsubscribed", "role", "analyst",
            "name", "x", "email", "x@example.ru");

    @Autowired
    io.orbita.audience.Imports imports;

    @Autowired
    io.orbita.delivery.inbound.InboundProcessor inboundProcessor;

    @Autowired
    io.orbita.delivery.internal.CapturedMail capturedMail;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyIdTakingEndpointHidesOtherWorkspacesObjects() throws Exception {
        TestWorkspace a = newWorkspace();
        TestWorkspace b = newWorkspace();
        String secretEmail = "secret-client@workspace-a.ru";
        long companyId = post("/api/v1/companies", a.apiKey(), Map.of("name", "Секретная компания A")).body().get("id").asLong();
        long contactId = post("/api/v1/contacts", a.apiKey(), Map.of("email", secretEmail, "companyId", companyId))
                .body().get("id").asLong();
        long fieldId = post("/api/v1/custom-fields", a.apiKey(), Map.of("entity", "contact", "key", "secret_field", "type", "text"))
                .body().get("id").asLong();
        long keyId = apiKeys.list(a.id()).getFirst().id();
        long productId = post("/api/v1/products/upsert", a.apiKey(), Map.of("sku", "SECRET-1", "name", "Секретный товар", "price", 10))
                .body().get("id").asLong();
        long orderId = post("/api/v1/orders/upsert", a.apiKey(), Map.of("externalId", "A-1", "contactId", contactId,
                "lines", java.util.List.of(Map.of("sku", "SECRET-1", "quantity", 1)))).body().get("id").asLong();
        long contractId = post("/api/v1/contracts/upsert", a.apiKey(), Map.of("externalId", "C-1", "contactId", contactId,
                "plan", "Secret plan", "startsOn", "2026-01-01")).body().get("id").asLong();
        long userId = accounts.addMember(a.owner(), new UserAccounts.NewMember("member-" + a.id() + "@orbita.test",
                "Member of A", null, null, Role.MARKETER, "member-password-1")).userId();

        long importId = imports.upload(a.owner(), "contacts", "secret.csv",
                new java.io.ByteArrayInputStream("email\nsecret-import@workspace-a.ru\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))).id();

        long layoutId = post("/api/v1/layouts", a.apiKey(), Map.of("name", "Секретный макет", "html", "<div>{{ content }}</div>"))
                .body().get("id").asLong();
        long snippetId = post("/api/v1/snippets", a.apiKey(), Map.of("name", "secret_snippet", "body", "<p>Секрет</p>"))
                .body().get("id").asLong();
        long templateId = post("/api/v1/templates", a.apiKey(), Map.of("name", "Секретный шаблон", "kind", "news",
                "subject", "Тема", "html", "<p>Секретный текст</p>", "layoutId", layoutId)).body().get("id").asLong();

        Map<String, Long> objectByPrefix = new LinkedHashMap<>();
        objectByPrefix.put("/api/v1/imports/", importId);
        objectByPrefix.put("/imports/", importId);
        objectByPrefix.put("/api/v1/contacts/", contactId);
        objectByPrefix.put("/contacts/", contactId);
        objectByPrefix.put("/api/v1/companies/", companyId);
        objectByPrefix.put("/companies/", companyId);
        objectByPrefix.put("/api/v1/custom-fields/", fieldId);
        objectByPrefix.put("/settings/fields/", fieldId);
        objectByPrefix.put("/api/v1/api-keys/", keyId);
        objectByPrefix.put("/settings/api-keys/", keyId);
        objectByPrefix.put("/api/v1/members/", userId);
        objectByPrefix.put("/api/v1/products/", productId);
        objectByPrefix.put("/products/", productId);
        objectByPrefix.put("/api/v1/orders/", orderId);
        objectByPrefix.put("/orders/", orderId);
        objectByPrefix.put("/api/v1/contracts/", contractId);
        objectByPrefix.put("/settings/users/", userId);
        objectByPrefix.put("/api/v1/templates/", templateId);
        objectByPrefix.put("/templates/", templateId);
        objectByPrefix.put("/api/v1/layouts/", layoutId);
        objectByPrefix.put("/layouts/", layoutId);
        objectByPrefix.put("/api/v1/snippets/", snippetId);
        objectByPrefix.put("/snippets/", snippetId);
        long suppressionId = post("/api/v1/suppressions", a.apiKey(), Map.of("address", "secret-suppressed@workspace-a.ru")).body().get("id").asLong();
        objectByPrefix.put("/api/v1/suppressions/", suppressionId);
        objectByPrefix.put("/suppressions/", suppressionId);
        long inboundId = inboundProcessor.process(("From: " + secretEmail + "\r\nTo: x@y.ru\r\nSubject: Re: hi\r\n"
                        + "In-Reply-To: <m-" + Long.toString(a.id().value(), 36) + "-1-z@orbita.ru>\r\n\r\nhello\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8), "api", null, List.of()).id();
        objectByPrefix.put("/api/v1/inbound/messages/", inboundId);
        long segmentId = post("/api/v1/segments", a.apiKey(), json.readTree("{\"name\":\"Secret plan segment\",\"rule\":{\"type\":\"bought\"}}"))
                .body().get("id").asLong();
        long listId = post("/api/v1/lists", a.apiKey(), Map.of("name", "Secret plan list")).body().get("id").asLong();
        post("/api/v1/lists/" + listId + "/members", a.apiKey(), Map.of("contactIds", java.util.List.of(contactId)));
        objectByPrefix.put("/api/v1/segments/", segmentId);
        objectByPrefix.put("/segments/", segmentId);
        objectByPrefix.put("/api/v1/lists/", listId);
        objectByPrefix.put("/lists/", listId);
        long messageId = post("/api/v1/messages", a.apiKey(), Map.of("contactId", contactId, "fromEmail", "anna@shop.example",
                "subject", "Секретная тема", "html", "<p>Секретный текст</p>")).body().get("id").asLong();
        long sendingDomainId = post("/api/v1/sending-domains", a.apiKey(), Map.of("domain", "secret-a.example")).body().get("id").asLong();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> !capturedMail.list(a.id(), 1).isEmpty());
        long capturedId = capturedMail.list(a.id(), 1).getFirst().id();
        objectByPrefix.put("/api/v1/messages/", messageId);
        objectByPrefix.put("/api/v1/sending-domains/", sendingDomainId);
        objectByPrefix.put("/delivery/domains/", sendingDomainId);
        objectByPrefix.put("/delivery/captured/", capturedId);
        long campaignId = post("/api/v1/campaigns", a.apiKey(), Map.of("name", "Secret plan campaign", "kind", "news",
                "segmentIds", List.of(listId), "templateId", templateId)).body().get("id").asLong();
        objectByPrefix.put("/api/v1/campaigns/", campaignId);
        objectByPrefix.put("/campaigns/", campaignId);

        Session bUser = login(b.ownerEmail(), b.ownerPassword());
        List<String> checked = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.contains("{id}")) {
                    continue;
                }
                Long id = objectByPrefix.entrySet().stream().filter(e -> pattern.startsWith(e.getKey()))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                if (id == null) {
                    fail("TenantIsolationIT does not know which object " + pattern + " takes; add it to objectByPrefix");
                }
                String path = pattern.replace("{id}", Long.toString(id)).replace("{relatedId}", Long.toString(id))
                        .replace("{kind}", "upgrade")
                        .replace("{version}", "1");
                var methods = info.getMethodsCondition().getMethods().isEmpty() ? List.of(RequestMethod.GET)
                        : List.copyOf(info.getMethodsCondition().getMethods());
                for (RequestMethod m : methods) {
                    int status;
                    String body;
                    if (path.startsWith("/api/")) {
                        Api r = api(m.name(), path, b.apiKey(), m == RequestMethod.GET || m == RequestMethod.DELETE ? null : "{}");
                        status = r.status();
                        body = String.valueOf(r.body());
                    } else {
                        var r = m == RequestMethod.POST ? bUser.post(path, PLAUSIBLE_FORM) : bUser.send(m.name(), path);
                        status = r.statusCode();
                        body = r.body();
                    }
                    assertThat(status).as(m + " " + path).isEqualTo(404);
                    assertThat(body).as(m + " " + path).doesNotContain(secretEmail, "Секретная компания A", "secret_field", "Секретный товар", "Secret plan", "secret.csv", "secret-import", "secret-suppressed");
                    assertThat(body).as(m + " " + path).doesNotContain(secretEmail, "Секретная компания A", "secret_field", "Секретный товар", "Secret plan", "secret.csv", "secret-import", "Секретная тема", "secret-a.example");
                    checked.add(m + " " + pattern);
                }
            }
        });
        assertThat(checked).as("endpoints checked").hasSizeGreaterThan(10);
        // Campaign ids in a query parameter (the side-by-side comparison) are just as unknown to another workspace.
        Api compared = get("/api/v1/campaigns/compare?ids=" + campaignId, b.apiKey());
        assertThat(compared.status()).isEqualTo(404);
        assertThat(String.valueOf(compared.body())).doesNotContain("Secret plan");
        var comparedPage = bUser.send("GET", "/campaigns/compare?ids=" + campaignId);
        assertThat(comparedPage.statusCode()).isEqualTo(404);
        assertThat(comparedPage.body()).doesNotContain("Secret plan");
        // The objects are still there and visible to their own workspace.
        assertThat(get("/api/v1/contacts/" + contactId, a.apiKey()).status()).isEqualTo(200);
    }
}
