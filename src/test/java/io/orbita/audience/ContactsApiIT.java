package io.orbita.audience;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import io.orbita.workspace.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class ContactsApiIT extends OrbitaIT {

    @Autowired
    ContactSearchIndexer searchIndex;

    private List<String> search(TestWorkspace ws, String q) {
        List<String> emails = new ArrayList<>();
        get("/api/v1/contacts?q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8), ws.apiKey())
                .body().get("items").forEach(c -> emails.add(c.get("email").asString()));
        return emails;
    }

    /**
     * The search text lives in contact_search, filled by a background indexer: a contact is found by its new name at
     * once (queued contacts are matched directly), before and after the indexer has run, and never by its old one.
     */
    @Test
    void searchFindsNewAndRenamedContactsAtOnceAndAfterIndexing() {
        var ws = newWorkspace();
        long id = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "olga@zavod.ru", "firstName", "Ольга",
                "lastName", "Сидоренко")).body().get("id").asLong();
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "boris@zavod.ru", "firstName", "Борис"));
        assertThat(search(ws, "сидоренко")).containsExactly("olga@zavod.ru");
        assertThat(search(ws, "ZAVOD")).containsExactly("boris@zavod.ru", "olga@zavod.ru");

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> searchIndex.backlog(ws.id()) == 0);
        assertThat(search(ws, "сидоренко")).containsExactly("olga@zavod.ru");
        assertThat(search(ws, "zavod")).containsExactly("boris@zavod.ru", "olga@zavod.ru");

        assertThat(api("PATCH", "/api/v1/contacts/" + id, ws.apiKey(), Map.of("lastName", "Кузнецова")).status()).isEqualTo(200);
        assertThat(search(ws, "кузнецова")).containsExactly("olga@zavod.ru");
        assertThat(search(ws, "сидоренко")).isEmpty();
        assertThat(search(ws, "zavod")).containsExactly("boris@zavod.ru", "olga@zavod.ru");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> searchIndex.backlog(ws.id()) == 0);
        assertThat(search(ws, "кузнецова")).containsExactly("olga@zavod.ru");
        assertThat(search(ws, "сидоренко")).isEmpty();

        assertThat(api("DELETE", "/api/v1/contacts/" + id, ws.apiKey(), null).status()).isEqualTo(204);
        assertThat(search(ws, "zavod")).containsExactly("boris@zavod.ru");
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    /**
     * New contacts wait for the indexer as one id range per inserting statement; an indexer working in pieces smaller
     * than the range indexes every contact of it with its text, and leaves nothing waiting.
     */
    @Test
    void aRangeOfNewContactsIsIndexedPieceByPiece() {
        var ws = newWorkspace();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(Map.of("email", "buyer" + i + "@stanok.ru", "lastName", "Закупщиков" + i));
        }
        assertThat(post("/api/v1/contacts/bulk", ws.apiKey(), Map.of("items", items)).body().get("created").asInt()).isEqualTo(5);
        ContactSearchIndexer inPiecesOfTwo = new ContactSearchIndexer(jdbc, tx, java.time.Clock.systemUTC(), 2);
        while (inPiecesOfTwo.indexRange()) {
            // the scheduled indexer may take pieces too: both skip what the other has locked
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> searchIndex.backlog(ws.id()) == 0);
        assertThat(jdbc.sql("select doc from contact_search where workspace_id = ? order by contact_id")
                .param(ws.id().value()).query(String.class).list())
                .containsExactly("buyer0@stanok.ru  закупщиков0 ", "buyer1@stanok.ru  закупщиков1 ", "buyer2@stanok.ru  закупщиков2 ",
                        "buyer3@stanok.ru  закупщиков3 ", "buyer4@stanok.ru  закупщиков4 ");
        assertThat(jdbc.sql("select count(*) from contact_search_range where workspace_id = ?").param(ws.id().value())
                .query(Long.class).single()).isZero();
        assertThat(search(ws, "закупщиков3")).containsExactly("buyer3@stanok.ru");
    }

    @Autowired
    ContactStore store;

    /**
     * A large insert goes in plainly first; when an email of it was created in between (after the caller's lookup),
     * the savepoint takes the plain insert back, the others are inserted anyway, and the transaction goes on.
     */
    @Test
    void aLargeInsertThatRacesAnotherWriterKeepsTheOtherRowsAndTheTransaction() {
        var ws = newWorkspace();
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "raced7@stanok.ru"));
        List<ContactData> rows = new ArrayList<>();
        for (int i = 0; i < ContactStore.COPY_FROM; i++) {
            rows.add(new ContactData("Raced" + i + "@stanok.ru", null, null, null, null, null, null, null, null, null, null,
                    null, List.of(), Map.of()));
        }
        Map<String, Long> inserted = tx.execute(s -> {
            Map<String, Long> ids = store.insertAll(ws.id(), rows, java.util.Collections.nCopies(rows.size(), ConsentStatus.SUBSCRIBED),
                    java.time.Instant.now());
            // Still usable after the savepoint was rolled back to.
            assertThat(jdbc.sql("select count(*) from contact where workspace_id = ?").param(ws.id().value()).query(Long.class).single())
                    .isEqualTo(ContactStore.COPY_FROM);
            return ids;
        });
        assertThat(inserted).hasSize(ContactStore.COPY_FROM - 1).doesNotContainKey("raced7@stanok.ru").containsKey("raced8@stanok.ru");
        assertThat(jdbc.sql("select count(*) from contact where workspace_id = ?").param(ws.id().value()).query(Long.class).single())
                .isEqualTo(ContactStore.COPY_FROM);
    }

    /**
     * A bulk of at least {@link ContactStore#COPY_FROM} new contacts goes in by COPY, a single one by INSERT: the
     * stored contacts are the same, whatever the text holds (Cyrillic, a character outside the BMP, backslashes,
     * quotes, commas and braces in tags and custom fields).
     */
    @Test
    void contactsCopiedInBulkAreStoredExactlyAsOneByOne() {
        var ws = newWorkspace();
        post("/api/v1/custom-fields", ws.apiKey(), Map.of("key", "note", "label", "Заметка", "type", "text", "entity", "contact"));
        java.util.function.Function<String, Map<String, Object>> contact = email -> Map.of("email", email,
                "firstName", "Ёлка 🎄", "lastName", "Back\\slash \"Кавычки\"", "position", "Инженер\tпо качеству",
                "phone", "+7 (912) 000-00-00", "birthday", "29.02.1992", "type", "partner",
                "tags", List.of("{скобки}", "\"quoted\"", "NULL", "обратный\\слэш"),
                "customFields", Map.of("note", "строка, с запятой и \\ и {}"), "consentStatus", "unsubscribed");
        var single = post("/api/v1/contacts", ws.apiKey(), contact.apply("single@copy.ru"));
        assertThat(single.status()).isEqualTo(201);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < ContactStore.COPY_FROM; i++) {
            items.add(contact.apply("bulk" + i + "@copy.ru"));
        }
        var bulk = post("/api/v1/contacts/bulk", ws.apiKey(), Map.of("items", items));
        assertThat(bulk.body().get("created").asInt()).isEqualTo(ContactStore.COPY_FROM);

        JsonNode one = get("/api/v1/contacts/" + single.body().get("id").asLong(), ws.apiKey()).body();
        JsonNode copied = get("/api/v1/contacts/" + bulk.body().get("items").get(7).get("id").asLong(), ws.apiKey()).body();
        assertThat(copied.get("email").asString()).isEqualTo("bulk7@copy.ru");
        for (String field : List.of("firstName", "lastName", "position", "phone", "birthday", "type", "tags", "customFields",
                "consentStatus", "sourceKind")) {
            assertThat(copied.get(field)).as(field).isEqualTo(one.get(field));
        }
        assertThat(copied.get("lastName").asString()).isEqualTo("Back\\slash \"Кавычки\"");
        assertThat(copied.get("tags").size()).isEqualTo(4);
        // Each new contact's first consent is recorded too.
        assertThat(jdbc.sql("select count(*) from consent_event where workspace_id = ? and status = 'unsubscribed'")
                .param(ws.id().value()).query(Long.class).single()).isEqualTo(ContactStore.COPY_FROM + 1L);
    }

    @Test
    void createsContactWithCyrillicNameAndIdnDomainStoredNormalized() {
        var ws = newWorkspace();
        var r = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "  Иван.Петров@ПРИМЕР.РФ ", "firstName", "Иван",
                "lastName", "Петров", "phone", "8 (495) 123-45-67", "type", "corporate_client",
                "sourceLabel", "Выставка Металлообработка-2026", "sourceKind", "offline_event", "tags", List.of("vip", "VIP", "expo")));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().get("email").asString()).isEqualTo("Иван.Петров@пример.рф");
        assertThat(r.body().get("phone").asString()).isEqualTo("+74951234567");
        assertThat(r.body().get("type").asString()).isEqualTo("corporate_client");
        assertThat(r.body().get("consentStatus").asString()).isEqualTo("subscribed");
        assertThat(r.body().get("tags").size()).isEqualTo(2);

        // The punycode spelling of the same address is the same contact.
        var dup = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "иван.петров@xn--e1afmkfd.xn--p1ai"));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.contentType()).startsWith("application/problem+json");
        assertThat(dup.body().get("errors").get(0).get("field").asString()).isEqualTo("email");
    }

    @Test
    void reportsEveryInvalidFieldAsProblemJson() {
        var ws = newWorkspace();
        var r = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "not-an-email", "birthday", "31.02.1990",
                "type", "alien", "phone", "call me", "firstName", "Ann\r\nBcc: x@evil.test"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        r.body().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("email", "birthday", "type", "phone", "firstName");
        assertThat(get("/api/v1/contacts", ws.apiKey()).body().get("items").size()).isZero();
    }

    @Test
    void malformedJsonIsAClearProblemNotAStackTrace() {
        var ws = newWorkspace();
        var r = post("/api/v1/contacts", ws.apiKey(), "{\"email\": ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("title").asString()).isEqualTo("Malformed request body");
        assertThat(r.body().toString()).doesNotContain("at io.orbita", "Exception");
    }

    @Test
    void patchChangesOnlyPresentFieldsAndNullClears() {
        var ws = newWorkspace();
        long id = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "a@example.ru", "firstName", "Анна",
                "position", "CFO")).body().get("id").asLong();
        var r = api("PATCH", "/api/v1/contacts/" + id, ws.apiKey(), "{\"lastName\": \"Смирнова\", \"position\": null}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("firstName").asString()).isEqualTo("Анна");
        assertThat(r.body().get("lastName").asString()).isEqualTo("Смирнова");
        assertThat(r.body().hasNonNull("position")).isFalse();
    }

    @Test
    void upsertMergesByEmailAndConsentChangesAreHistory() {
        var ws = newWorkspace();
        var created = post("/api/v1/contacts/upsert", ws.apiKey(), Map.of("email", "b@example.ru", "firstName", "Борис"));
        assertThat(created.status()).isEqualTo(201);
        var updated = post("/api/v1/contacts/upsert", ws.apiKey(), Map.of("email", "B@EXAMPLE.RU", "consentStatus", "unsubscribed"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().get("firstName").asString()).isEqualTo("Борис");
        assertThat(updated.body().get("consentStatus").asString()).isEqualTo("unsubscribed");
        long id = updated.body().get("id").asLong();
        JsonNode history = get("/api/v1/contacts/" + id + "/consent-history", ws.apiKey()).body();
        assertThat(history.size()).isEqualTo(2);
        assertThat(history.get(0).get("status").asString()).isEqualTo("unsubscribed");
        assertThat(history.get(0).get("method").asString()).isEqualTo("api");
        assertThat(history.get(1).get("status").asString()).isEqualTo("subscribed");
    }

    @Test
    void bulkUpsertReportsEachItemAndKeepsTheGoodOnes() {
        var ws = newWorkspace();
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "old@example.ru", "firstName", "Old"));
        List<Map<String, Object>> items = List.of(
                Map.of("email", "new1@example.ru", "firstName", "Один"),
                Map.of("email", "broken"),
                Map.of("email", "old@example.ru", "lastName", "Известный"),
                Map.of("email", "NEW1@example.ru", "lastName", "Первый"),
                Map.of("email", "new2@example.ru", "managerId", 999999));
        var r = post("/api/v1/contacts/bulk", ws.apiKey(), Map.of("items", items));
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.body();
        assertThat(body.get("created").asInt()).isEqualTo(1);
        assertThat(body.get("updated").asInt()).isEqualTo(1);
        assertThat(body.get("failed").asInt()).isEqualTo(2);
        assertThat(body.get("items").get(0).get("status").asString()).isEqualTo("created");
        assertThat(body.get("items").get(1).get("errors").get(0).get("field").asString()).isEqualTo("email");
        assertThat(body.get("items").get(2).get("status").asString()).isEqualTo("updated");
        assertThat(body.get("items").get(3).get("id").asLong()).isEqualTo(body.get("items").get(0).get("id").asLong());
        assertThat(body.get("items").get(4).get("errors").get(0).get("field").asString()).isEqualTo("managerId");

        JsonNode merged = get("/api/v1/contacts?email=new1@example.ru", ws.apiKey()).body().get("items").get(0);
        assertThat(merged.get("firstName").asString()).isEqualTo("Один");
        assertThat(merged.get("lastName").asString()).isEqualTo("Первый");

        var again = post("/api/v1/contacts/bulk", ws.apiKey(), Map.of("items", List.of(Map.of("email", "old@example.ru", "lastName", "Известный"))));
        assertThat(again.body().get("unchanged").asInt()).isEqualTo(1);
    }

    @Test
    void listFiltersAndPagesWithKeysetCursor() {
        var ws = newWorkspace();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            items.add(Map.of("email", "p" + i + "@example.ru", "firstName", i % 2 == 0 ? "Пётр" : "Мария",
                    "tags", i % 5 == 0 ? List.of("vip") : List.of()));
        }
        assertThat(post("/api/v1/contacts/bulk", ws.apiKey(), Map.of("items", items)).body().get("created").asInt()).isEqualTo(25);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/api/v1/contacts?limit=10" + (cursor == null ? "" : "&cursor=" + cursor), ws.apiKey()).body();
            page.get("items").forEach(c -> seen.add(c.get("email").asString()));
            cursor = page.has("nextCursor") && !page.get("nextCursor").isNull() ? page.get("nextCursor").asString() : null;
        } while (cursor != null);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates();

        assertThat(get("/api/v1/contacts?tag=vip", ws.apiKey()).body().get("items").size()).isEqualTo(5);
        assertThat(get("/api/v1/contacts?q=%D0%BF%D1%91%D1%82%D1%80", ws.apiKey()).body().get("items").size()).isEqualTo(13);
        assertThat(get("/api/v1/contacts?type=alien", ws.apiKey()).status()).isEqualTo(400);
        assertThat(get("/api/v1/contacts?cursor=garbage!", ws.apiKey()).status()).isEqualTo(400);
        assertThat(get("/api/v1/contacts?limit=100000", ws.apiKey()).status()).isEqualTo(400);
    }

    @Test
    void customFieldValuesAreCheckedByType() {
        var ws = newWorkspace();
        assertThat(post("/api/v1/custom-fields", ws.apiKey(), Map.of("entity", "contact", "key", "level", "label", "Level",
                "type", "choice", "options", List.of("gold", "silver"))).status()).isEqualTo(201);
        assertThat(post("/api/v1/custom-fields", ws.apiKey(), Map.of("entity", "contact", "key", "seats", "type", "number")).status())
                .isEqualTo(201);
        var bad = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "c@example.ru",
                "customFields", Map.of("level", "platinum", "seats", "many", "nope", 1)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("errors").size()).isEqualTo(3);
        var ok = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "c@example.ru",
                "customFields", Map.of("level", "Gold", "seats", "12,5")));
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.body().get("customFields").get("level").asString()).isEqualTo("gold");
        assertThat(ok.body().get("customFields").get("seats").asDouble()).isEqualTo(12.5);
    }

    @Test
    void companiesValidateInnAndContactsBelongToThem() {
        var ws = newWorkspace();
        var bad = post("/api/v1/companies", ws.apiKey(), Map.of("name", "ООО Ромашка", "inn", "7707083894"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("errors").get(0).get("field").asString()).isEqualTo("inn");
        var co = post("/api/v1/companies", ws.apiKey(), Map.of("name", "ООО Ромашка", "inn", "7707083893",
                "website", "romashka.рф", "size", "small"));
        assertThat(co.status()).isEqualTo(201);
        assertThat(co.body().get("website").asString()).isEqualTo("https://romashka.рф");
        long companyId = co.body().get("id").asLong();
        assertThat(post("/api/v1/companies", ws.apiKey(), Map.of("name", "Другая", "inn", "7707083893")).status()).isEqualTo(409);
        var upsert = post("/api/v1/companies/upsert", ws.apiKey(), Map.of("inn", "7707083893", "industry", "Агро"));
        assertThat(upsert.status()).isEqualTo(200);
        assertThat(upsert.body().get("name").asString()).isEqualTo("ООО Ромашка");

        var contact = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "d@romashka.ru", "companyId", companyId,
                "managerId", ws.ownerId()));
        assertThat(contact.status()).isEqualTo(201);
        assertThat(contact.body().get("companyName").asString()).isEqualTo("ООО Ромашка");
        assertThat(get("/api/v1/contacts?companyId=" + companyId, ws.apiKey()).body().get("items").size()).isEqualTo(1);
        assertThat(get("/api/v1/companies/" + companyId, ws.apiKey()).body().get("contactCount").asInt()).isEqualTo(1);
    }

    @Test
    void rolesAreEnforcedAndKeysAreRequired() {
        var ws = newWorkspace(Role.ANALYST);
        assertThat(get("/api/v1/contacts", ws.apiKey()).status()).isEqualTo(200);
        var denied = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "e@example.ru"));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.contentType()).startsWith("application/problem+json");
        assertThat(get("/api/v1/contacts", null).status()).isEqualTo(401);
        assertThat(get("/api/v1/contacts", "orb_wrong_key_wrong_key_wrong_key").status()).isEqualTo(401);
    }

    @Test
    void deletingRemovesTheContact() {
        var ws = newWorkspace();
        long id = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "gone@example.ru")).body().get("id").asLong();
        assertThat(api("DELETE", "/api/v1/contacts/" + id, ws.apiKey(), null).status()).isEqualTo(204);
        assertThat(get("/api/v1/contacts/" + id, ws.apiKey()).status()).isEqualTo(404);
    }

    @Test
    void validatesAddressesInBulkAndRefusesUnsendableContacts() {
        var ws = newWorkspace(Role.ANALYST);
        var r = post("/api/v1/emails/validate", ws.apiKey(), Map.of("addresses",
                List.of("ivan@gmial.com", "info@пример.рф", "x@mailinator.com", "broken@", " Anna@Example.RU ")));
        assertThat(r.status()).isEqualTo(200);
        JsonNode results = r.body().get("results");
        assertThat(results.get(0).get("verdict").asString()).isEqualTo("risky");
        assertThat(results.get(0).get("suggestion").asString()).isEqualTo("ivan@gmail.com");
        assertThat(results.get(1).get("reason").get("code").asString()).isEqualTo("role_address");
        assertThat(results.get(2).get("verdict").asString()).isEqualTo("invalid");
        assertThat(results.get(3).get("reason").get("code").asString()).isEqualTo("syntax");
        assertThat(results.get(4).get("normalized").asString()).isEqualTo("Anna@example.ru");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add("a" + i + "@example.ru");
        }
        assertThat(post("/api/v1/emails/validate", ws.apiKey(), Map.of("addresses", many)).status()).isEqualTo(400);

        var editor = newWorkspace();
        var refused = post("/api/v1/contacts", editor.apiKey(), Map.of("email", "temp@mailinator.com"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errors").get(0).get("code").asString()).isEqualTo("email.disposable");
    }
}
