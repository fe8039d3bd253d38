package io.orbita.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import io.orbita.workspace.Role;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Each condition kind against hand-built data with known answers, validation paths, lists and incremental membership. */
class SegmentsIT extends OrbitaIT {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    @Autowired
    Segments segments;

    @Autowired
    io.orbita.audience.Imports imports;

    @Autowired
    javax.sql.DataSource dataSource;

    private long contact(TestWorkspace ws, Map<String, Object> fields) {
        Api r = post("/api/v1/contacts", ws.apiKey(), fields);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    private void order(TestWorkspace ws, String id, long contactId, String placedAt, String status, Object total, List<Map<String, Object>> lines) {
        Map<String, Object> o = new java.util.HashMap<>(Map.of("externalId", id, "contactId", contactId, "placedAt", placedAt,
                "status", status));
        if (lines == null) {
            o.put("total", total);
        } else {
            o.put("lines", lines);
        }
        Api r = post("/api/v1/orders/upsert", ws.apiKey(), o);
        assertThat(r.status()).as(String.valueOf(r.body())).isIn(200, 201);
    }

    private void event(TestWorkspace ws, Map<String, Object> event) {
        Api r = post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(event)));
        assertThat(r.body().get("items").get(0).get("status").asString()).as(r.body().toString()).isEqualTo("created");
    }

    /** The contacts matching the rule, checked to be the same whether evaluated for everyone or contact by contact. */
    private Set<Long> match(TestWorkspace ws, String rule) {
        Set<Long> all = segments.sample(ws.id(), null, json.readTree(rule), 500).stream().map(Segments.Member::contactId).collect(Collectors.toSet());
        List<Long> everyone = new java.util.ArrayList<>();
        get("/api/v1/contacts?limit=500", ws.apiKey()).body().get("items").forEach(c -> everyone.add(c.get("id").asLong()));
        assertThat(segments.matching(ws.id(), json.readTree(rule), everyone)).as("contact by contact: " + rule).isEqualTo(all);
        return all;
    }

    private static String day(LocalDate d) {
        return d.toString();
    }

    @Test
    void everyConditionKindFindsExactlyTheRightContacts() {
        var ws = newWorkspace();
        LocalDate today = LocalDate.now(MOSCOW);
        post("/api/v1/custom-fields", ws.apiKey(), Map.of("entity", "contact", "key", "loyalty", "type", "choice", "options", List.of("gold", "silver")));
        post("/api/v1/custom-fields", ws.apiKey(), Map.of("entity", "contact", "key", "employees", "type", "number"));
        long company = post("/api/v1/companies", ws.apiKey(), Map.of("name", "ООО Ромашка", "industry", "Оптика",
                "foundedOn", day(today.plusDays(3).minusYears(10)))).body().get("id").asLong();
        long anna = contact(ws, Map.of("email", "anna@a.ru", "firstName", "Анна", "type", "partner", "tags", List.of("vip", "moscow"),
                "birthday", day(today.plusDays(5).minusYears(30)), "customFields", Map.of("loyalty", "gold", "employees", 120),
                "companyId", company));
        long boris = contact(ws, Map.of("email", "boris@b.ru", "firstName", "Борис", "type", "private_person", "tags", List.of("moscow"),
                "birthday", day(today.minusDays(2).minusYears(40)), "customFields", Map.of("loyalty", "silver", "employees", 5)));
        long vera = contact(ws, Map.of("email", "vera@v.ru", "lastName", "Иванова", "consentStatus", "unsubscribed"));
        long gleb = contact(ws, Map.of("email", "gleb@g.ru"));

        // Fields, tags, custom fields, NOT over people with empty fields.
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"contactType\",\"op\":\"eq\",\"value\":\"partner\"}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"contactType\",\"op\":\"neq\",\"value\":\"partner\"}")).containsExactlyInAnyOrder(boris, vera, gleb);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"tags\",\"op\":\"has\",\"value\":\"moscow\"}")).containsExactlyInAnyOrder(anna, boris);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"tags\",\"op\":\"has_none\",\"values\":[\"vip\"]}")).containsExactlyInAnyOrder(boris, vera, gleb);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"firstName\",\"op\":\"contains\",\"value\":\"анн\"}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"firstName\",\"op\":\"is_not_set\"}")).containsExactlyInAnyOrder(vera, gleb);
        // NOT over conditions on empty fields: contacts without a first name or company are "not" them.
        assertThat(match(ws, "{\"type\":\"not\",\"rule\":{\"type\":\"field\",\"field\":\"firstName\",\"op\":\"eq\",\"value\":\"Анна\"}}"))
                .containsExactlyInAnyOrder(boris, vera, gleb);
        assertThat(match(ws, "{\"type\":\"not\",\"rule\":{\"type\":\"or\",\"rules\":[{\"type\":\"field\",\"field\":\"firstName\",\"op\":\"starts_with\",\"value\":\"Бор\"},"
                + "{\"type\":\"field\",\"field\":\"company.industry\",\"op\":\"eq\",\"value\":\"Оптика\"}]}}")).containsExactlyInAnyOrder(vera, gleb);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"consent\",\"op\":\"eq\",\"value\":\"unsubscribed\"}")).containsExactly(vera);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"custom.loyalty\",\"op\":\"eq\",\"value\":\"GOLD\"}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"custom.employees\",\"op\":\"gte\",\"value\":100}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"company.industry\",\"op\":\"eq\",\"value\":\"оптика\"}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"company.industry\",\"op\":\"neq\",\"value\":\"Оптика\"}")).containsExactlyInAnyOrder(boris, vera, gleb);
        assertThat(match(ws, "{\"type\":\"field\",\"field\":\"createdAt\",\"op\":\"within_last_days\",\"days\":1}")).hasSize(4);

        // Dates: birthday in the next 7 days (anna, in 5), in the last 3 days (boris, 2 days ago); founding in 3 days.
        assertThat(match(ws, "{\"type\":\"anniversary\",\"field\":\"birthday\",\"direction\":\"next\",\"days\":7}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"anniversary\",\"field\":\"birthday\",\"direction\":\"next\",\"days\":4}")).isEmpty();
        assertThat(match(ws, "{\"type\":\"anniversary\",\"field\":\"birthday\",\"direction\":\"last\",\"days\":3}")).containsExactly(boris);
        assertThat(match(ws, "{\"type\":\"anniversary\",\"field\":\"company.foundedOn\",\"direction\":\"next\",\"days\":3}")).containsExactly(anna);

        // Purchases. Anna: two paid orders (one of a lens), Boris: one order long ago, Vera: only a cancelled order.
        post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "LENS", "name", "Объектив", "category", "Оптика", "price", 1000));
        post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "CAP", "name", "Крышка", "category", "Аксессуары", "price", 100));
        // 21:30 UTC is 00:30 the next day in Moscow: the order belongs to today-9 in the workspace's time zone.
        String lateEvening = today.minusDays(10) + "T21:30:00Z";
        order(ws, "A-1", anna, lateEvening, "paid", null, List.of(Map.of("sku", "LENS", "quantity", 1)));
        order(ws, "A-2", anna, day(today.minusDays(2)), "shipped", 3000, null);
        order(ws, "B-1", boris, day(today.minusDays(400)), "paid", null, List.of(Map.of("sku", "CAP", "quantity", 2)));
        order(ws, "V-1", vera, day(today.minusDays(1)), "cancelled", null, List.of(Map.of("sku", "LENS", "quantity", 5)));
        long lens = get("/api/v1/products?q=LENS", ws.apiKey()).body().get("items").get(0).get("id").asLong();

        assertThat(match(ws, "{\"type\":\"bought\"}")).containsExactlyInAnyOrder(anna, boris);
        assertThat(match(ws, "{\"type\":\"bought\",\"products\":[" + lens + "]}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"bought\",\"categories\":[\"Аксессуары\"]}")).containsExactly(boris);
        assertThat(match(ws, "{\"type\":\"bought\",\"period\":{\"from\":\"" + today.minusDays(9) + "\",\"to\":\"" + today.minusDays(9) + "\"}}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"bought\",\"period\":{\"to\":\"" + today.minusDays(10) + "\"}}")).containsExactly(boris);
        assertThat(match(ws, "{\"type\":\"not\",\"rule\":{\"type\":\"bought\"}}")).containsExactlyInAnyOrder(vera, gleb);
        assertThat(match(ws, "{\"type\":\"orders\",\"measure\":\"count\",\"op\":\"gte\",\"value\":2}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"orders\",\"measure\":\"count\",\"op\":\"lt\",\"value\":2}")).containsExactlyInAnyOrder(boris, vera, gleb);
        assertThat(match(ws, "{\"type\":\"orders\",\"measure\":\"count\",\"op\":\"eq\",\"value\":0,\"period\":{\"lastDays\":30}}"))
                .containsExactlyInAnyOrder(boris, vera, gleb);
        assertThat(match(ws, "{\"type\":\"orders\",\"measure\":\"total\",\"op\":\"gt\",\"value\":3500}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"orders\",\"measure\":\"average\",\"op\":\"lt\",\"value\":2000}")).containsExactly(boris);
        assertThat(match(ws, "{\"type\":\"last_purchase\",\"op\":\"gt\",\"value\":90}")).containsExactly(boris);
        assertThat(match(ws, "{\"type\":\"last_purchase\",\"op\":\"eq\",\"value\":2}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"activity\",\"state\":\"potential\"}")).containsExactlyInAnyOrder(vera, gleb);
        assertThat(match(ws, "{\"type\":\"activity\",\"state\":\"active\"}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"activity\",\"state\":\"former\"}")).containsExactly(boris);
        // RFM scores are relative to all buyers and recomputed by the periodic refresh, not by each order.
        assertThat(match(ws, "{\"type\":\"rfm\",\"group\":\"champions\"}")).isEmpty();
        aggregates.rescore(ws.id());
        assertThat(match(ws, "{\"type\":\"rfm\",\"score\":\"recency\",\"op\":\"eq\",\"value\":5}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"rfm\",\"group\":\"champions\"}")).containsExactly(anna);
        // With two buyers the quintiles are coarse: Boris (older, fewer orders) scores 3 on recency and frequency.
        assertThat(match(ws, "{\"type\":\"rfm\",\"score\":\"frequency\",\"op\":\"lte\",\"value\":3}")).containsExactly(boris);

        // Contracts: Boris renews in 10 days; the company of Anna has an expired one.
        post("/api/v1/contracts/upsert", ws.apiKey(), Map.of("externalId", "K-1", "contactId", boris, "plan", "Pro",
                "startsOn", day(today.minusYears(1)), "renewsOn", day(today.plusDays(10)), "status", "active"));
        post("/api/v1/contracts/upsert", ws.apiKey(), Map.of("externalId", "K-2", "companyId", company, "plan", "Basic",
                "startsOn", day(today.minusYears(2)), "renewsOn", day(today.minusDays(30)), "status", "expired"));
        assertThat(match(ws, "{\"type\":\"contract\",\"state\":\"renews_within\",\"days\":14}")).containsExactly(boris);
        assertThat(match(ws, "{\"type\":\"contract\",\"state\":\"renews_within\",\"days\":5}")).isEmpty();
        assertThat(match(ws, "{\"type\":\"contract\",\"state\":\"expired\"}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"contract\",\"state\":\"active\",\"plans\":[\"Pro\"]}")).containsExactly(boris);

        // Behaviour: Gleb viewed the pricing page three times, Anna once (another page), Boris has an idle cart.
        for (int i = 0; i < 3; i++) {
            event(ws, Map.of("type", "page_view", "contactId", gleb, "properties", Map.of("path", "/pricing")));
        }
        event(ws, Map.of("type", "page_view", "contactId", anna, "properties", Map.of("path", "/blog")));
        event(ws, Map.of("type", "cart_updated", "contactId", boris,
                "occurredAt", java.time.Instant.now().minus(Duration.ofHours(3)).toString(),
                "properties", Map.of("lines", List.of(Map.of("sku", "LENS", "quantity", 1, "price", 1000)))));
        // The per-contact event counts follow the events just after they commit (Aggregates), hence the wait.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                match(ws, "{\"type\":\"event\",\"event\":\"page_view\",\"count\":3,\"period\":{\"lastDays\":7}}")).containsExactly(gleb));
        assertThat(match(ws, "{\"type\":\"event\",\"event\":\"page_view\",\"properties\":{\"path\":\"/blog\"}}")).containsExactly(anna);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                match(ws, "{\"type\":\"event\",\"event\":\"page_view\",\"op\":\"at_most\",\"count\":1}")).containsExactlyInAnyOrder(anna, boris, vera));
        assertThat(match(ws, "{\"type\":\"event\",\"event\":\"page_view\",\"op\":\"none\"}")).containsExactlyInAnyOrder(boris, vera);
        assertThat(match(ws, "{\"type\":\"not\",\"rule\":{\"type\":\"event\",\"event\":\"never_happens\"}}")).hasSize(4);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(match(ws, "{\"type\":\"abandoned_cart\",\"idleHours\":2}")).containsExactly(boris));
        assertThat(match(ws, "{\"type\":\"abandoned_cart\",\"idleHours\":4}")).isEmpty();

        // Groups.
        assertThat(match(ws, """
                {"type":"and","rules":[
                  {"type":"or","rules":[{"type":"field","field":"tags","op":"has","value":"vip"},{"type":"bought","categories":["Аксессуары"]}]},
                  {"type":"not","rule":{"type":"field","field":"contactType","op":"eq","value":"private_person"}}]}""")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"or\",\"rules\":[]}")).isEmpty();
        assertThat(match(ws, "{\"type\":\"and\",\"rules\":[]}")).hasSize(4);

        // A one-day purchase cycle makes Anna (last purchase two days ago) formerly active.
        assertThat(api("PUT", "/api/v1/segments/settings", ws.apiKey(), Map.of("purchaseCycleDays", 1)).status()).isEqualTo(200);
        assertThat(match(ws, "{\"type\":\"activity\",\"state\":\"active\"}")).isEmpty();
        assertThat(match(ws, "{\"type\":\"activity\",\"state\":\"former\"}")).containsExactlyInAnyOrder(anna, boris);
        assertThat(api("PUT", "/api/v1/segments/settings", ws.apiKey(), Map.of("purchaseCycleDays", 0)).status()).isEqualTo(400);
        assertThat(get("/api/v1/segments/settings", ws.apiKey()).body().get("purchaseCycleDays").asInt()).isEqualTo(1);
    }

    /** Engagement conditions, declared by the tracking, delivery and campaigns modules, against hand-built rows. */
    @Test
    void engagementConditionsReadOpensClicksRepliesBouncesAndCampaigns() {
        var ws = newWorkspace();
        long wsId = ws.id().value();
        long anna = contact(ws, Map.of("email", "anna@e.ru"));
        long boris = contact(ws, Map.of("email", "boris@e.ru"));
        long vera = contact(ws, Map.of("email", "Vera@E.ru"));
        long gleb = contact(ws, Map.of("email", "gleb@e.ru"));
        java.time.Instant now = java.time.Instant.now();
        String hit = "insert into tracking_event (workspace_id, message_id, contact_id, kind, at, machine) values (?, ?, ?, ?, ?, ?)";
        // Anna opened letter 501 three days ago and clicked in it; Boris's only open in 30 days was a link scanner's,
        // his human open is 45 days old; Vera opened 100 days ago; Gleb never.
        jdbc.sql(hit).params(wsId, 501, anna, "open", java.sql.Timestamp.from(now.minus(Duration.ofDays(3))), false).update();
        jdbc.sql(hit).params(wsId, 501, anna, "click", java.sql.Timestamp.from(now.minus(Duration.ofDays(3))), false).update();
        jdbc.sql(hit).params(wsId, 502, boris, "open", java.sql.Timestamp.from(now.minus(Duration.ofDays(1))), true).update();
        jdbc.sql(hit).params(wsId, 502, boris, "open", java.sql.Timestamp.from(now.minus(Duration.ofDays(45))), false).update();
        jdbc.sql(hit).params(wsId, 503, vera, "open", java.sql.Timestamp.from(now.minus(Duration.ofDays(100))), false).update();

        assertThat(match(ws, "{\"type\":\"opened\",\"days\":30}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"opened\",\"days\":60}")).containsExactlyInAnyOrder(anna, boris);
        assertThat(match(ws, "{\"type\":\"opened\"}")).containsExactlyInAnyOrder(anna, boris, vera);
        assertThat(match(ws, "{\"type\":\"clicked\",\"days\":7}")).containsExactly(anna);
        assertThat(match(ws, "{\"type\":\"not_opened\",\"days\":30}")).containsExactlyInAnyOrder(boris, vera, gleb);
        assertThat(match(ws, "{\"type\":\"not_opened\",\"days\":90}")).containsExactlyInAnyOrder(vera, gleb);

        // Gleb replied; Vera's address is suppressed after a hard bounce (stored normalized); a letter to Boris bounced.
        jdbc.sql("""
                        insert into inbound_message (workspace_id, received_at, channel, kind, contact_id, classification, raw, raw_size)
                        values (?, ?, 'api', ?, ?, '{}', ''::bytea, 0)""")
                .params(wsId, java.sql.Timestamp.from(now.minus(Duration.ofDays(2))), "reply", gleb).update();
        jdbc.sql("""
                        insert into inbound_message (workspace_id, received_at, channel, kind, contact_id, classification, raw, raw_size)
                        values (?, ?, 'api', ?, ?, '{}', ''::bytea, 0)""")
                .params(wsId, java.sql.Timestamp.from(now.minus(Duration.ofDays(2))), "auto_reply", anna).update();
        jdbc.sql("insert into suppression (workspace_id, address, reason, created_at) values (?, 'vera@e.ru', 'hard_bounce', ?)")
                .params(wsId, java.sql.Timestamp.from(now.minus(Duration.ofDays(20)))).update();
        jdbc.sql("""
                        insert into outbox_message (workspace_id, contact_id, recipient, kind, state, from_name, from_address,
                            next_attempt_at, created_at, updated_at)
                        values (?, ?, 'boris@e.ru', 'marketing', 'bounced', 'Shop', 'shop@e.ru', ?, ?, ?)""")
                .params(wsId, boris, java.sql.Timestamp.from(now), java.sql.Timestamp.from(now.minus(Duration.ofDays(5))),
                        java.sql.Timestamp.from(now.minus(Duration.ofDays(5)))).update();
        assertThat(match(ws, "{\"type\":\"replied\"}")).containsExactly(gleb);
        assertThat(match(ws, "{\"type\":\"replied\",\"days\":1}")).isEmpty();
        assertThat(match(ws, "{\"type\":\"bounced\"}")).containsExactlyInAnyOrder(boris, vera);
        assertThat(match(ws, "{\"type\":\"bounced\",\"days\":10}")).containsExactly(boris);
        assertThat(match(ws, "{\"type\":\"not\",\"rule\":{\"type\":\"bounced\"}}")).containsExactlyInAnyOrder(anna, gleb);

        // A campaign sent letters 501 (Anna) and 502 (Boris): who received it, opened it (humans) and clicked in it.
        long campaign = jdbc.sql("""
                        insert into campaign (workspace_id, name, kind, template_id, created_at, updated_at)
                        values (?, 'Осенняя рассылка', 'news', 0, now(), now()) returning id""").params(wsId).query(Long.class).single();
        String recipient = "insert into campaign_recipient (workspace_id, campaign_id, contact_id, email, message_id, queued_at) values (?, ?, ?, ?, ?, now())";
        jdbc.sql(recipient).params(wsId, campaign, anna, "anna@e.ru", 501).update();
        jdbc.sql(recipient).params(wsId, campaign, boris, "boris@e.ru", 502).update();
        String rule = "{\"type\":\"campaign\",\"campaign\":" + campaign + ",\"action\":\"%s\"%s}";
        assertThat(match(ws, rule.formatted("received", ""))).containsExactlyInAnyOrder(anna, boris);
        assertThat(match(ws, rule.formatted("opened", ""))).containsExactlyInAnyOrder(anna, boris);
        assertThat(match(ws, rule.formatted("opened", ",\"days\":30"))).containsExactly(anna);
        assertThat(match(ws, rule.formatted("clicked", ""))).containsExactly(anna);
        Api unknown = post("/api/v1/segments/count", ws.apiKey(), json.readTree("{\"rule\":" + rule.formatted("opened", "").replace(
                String.valueOf(campaign), String.valueOf(campaign + 1000)) + "}"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().toString()).contains("rule.campaign");

        // The engagement condition in a stored segment, as the benchmark's six-condition segment uses it.
        Api created = post("/api/v1/segments", ws.apiKey(), json.readTree(
                "{\"name\":\"Engaged\",\"rule\":{\"type\":\"and\",\"rules\":[{\"type\":\"opened\",\"days\":60},{\"type\":\"not\",\"rule\":{\"type\":\"bounced\"}}]}}"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        assertThat(created.body().get("size").asLong()).isEqualTo(1);
    }

    @Test
    void invalidRulesNameThePathOfTheOffendingNode() {
        var ws = newWorkspace();
        Api unknown = post("/api/v1/segments", ws.apiKey(), json.readTree("""
                {"name":"x","rule":{"type":"and","rules":[
                  {"type":"field","field":"contactType","op":"eq","value":"partner"},
                  {"type":"or","rules":[{"type":"field","field":"shoeSize","op":"eq","value":"42"}]}]}}"""));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.contentType()).contains("problem+json");
        assertThat(unknown.body().toString()).contains("rule.rules[1].rules[0].field").contains("unknown field 'shoeSize'");

        Api wrongOp = post("/api/v1/segments/count", ws.apiKey(), json.readTree("""
                {"rule":{"type":"and","rules":[{"type":"field","field":"birthday","op":"contains","value":"x"}]}}"""));
        assertThat(wrongOp.status()).isEqualTo(400);
        assertThat(wrongOp.body().toString()).contains("rule.rules[0].op");

        Api badPeriod = post("/api/v1/segments/count", ws.apiKey(), json.readTree("""
                {"rule":{"type":"not","rule":{"type":"bought","period":{"from":"2026-05-01","to":"2026-01-01"}}}}"""));
        assertThat(badPeriod.status()).isEqualTo(400);
        assertThat(badPeriod.body().toString()).contains("rule.rule.period");

        Api badType = post("/api/v1/segments/count", ws.apiKey(), json.readTree("{\"rule\":{\"type\":\"survey_score\",\"days\":5}}"));
        assertThat(badType.body().toString()).contains("rule.type").contains("unknown condition type");

        Api extra = post("/api/v1/segments/count", ws.apiKey(), json.readTree("{\"rule\":{\"type\":\"bought\",\"colour\":\"red\"}}"));
        assertThat(extra.body().toString()).contains("rule.colour");

        long a = post("/api/v1/segments", ws.apiKey(), json.readTree("{\"name\":\"A\",\"rule\":{\"type\":\"bought\"}}")).body().get("id").asLong();
        long b = post("/api/v1/segments", ws.apiKey(), json.readTree("{\"name\":\"B\",\"rule\":{\"type\":\"and\",\"rules\":[{\"type\":\"segment\",\"segment\":" + a + "}]}}"))
                .body().get("id").asLong();
        Api cycle = api("PATCH", "/api/v1/segments/" + a, ws.apiKey(), json.readTree("{\"rule\":{\"type\":\"segment\",\"segment\":" + b + "}}"));
        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.body().toString()).contains("rule.segment").contains("rule.cycle");
        Api self = api("PATCH", "/api/v1/segments/" + a, ws.apiKey(), json.readTree("{\"rule\":{\"type\":\"segment\",\"segment\":" + a + "}}"));
        assertThat(self.status()).isEqualTo(400);
        assertThat(api("DELETE", "/api/v1/segments/" + a, ws.apiKey(), null).status()).isEqualTo(409);
    }

    @Test
    void membershipFollowsOrdersIncrementallyWithEnteredAndLeftRecords() {
        var ws = newWorkspace();
        long ivan = contact(ws, Map.of("email", "ivan@i.ru"));
        long olga = contact(ws, Map.of("email", "olga@o.ru", "tags", List.of("b2b")));
        Api created = post("/api/v1/segments", ws.apiKey(), json.readTree("""
                {"name":"Buyers or B2B","rule":{"type":"or","rules":[{"type":"bought"},{"type":"field","field":"tags","op":"has","value":"b2b"}]}}"""));
        assertThat(created.status()).isEqualTo(201);
        long id = created.body().get("id").asLong();
        assertThat(created.body().get("size").asLong()).isEqualTo(1);
        assertThat(get("/api/v1/segments/" + id + "/test?contactId=" + ivan, ws.apiKey()).body().get("stored").asBoolean()).isFalse();

        order(ws, "I-1", ivan, LocalDate.now(MOSCOW).toString(), "paid", 100, null);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                get("/api/v1/segments/" + id + "/test?contactId=" + ivan, ws.apiKey()).body().get("stored").asBoolean());
        order(ws, "I-1", ivan, LocalDate.now(MOSCOW).toString(), "cancelled", 100, null);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !get("/api/v1/segments/" + id + "/test?contactId=" + ivan, ws.apiKey()).body().get("stored").asBoolean());
        // Contact changes re-evaluate the contact too.
        api("PATCH", "/api/v1/contacts/" + olga, ws.apiKey(), Map.of("tags", List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !get("/api/v1/segments/" + id + "/test?contactId=" + olga, ws.apiKey()).body().get("stored").asBoolean());

        // Events re-evaluate the contacts they are about, in the segments that read events.
        long viewers = post("/api/v1/segments", ws.apiKey(), json.readTree(
                "{\"name\":\"Pricing\",\"rule\":{\"type\":\"event\",\"event\":\"pricing_viewed\",\"period\":{\"lastDays\":7}}}")).body().get("id").asLong();
        event(ws, Map.of("type", "pricing_viewed", "contactId", olga));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                get("/api/v1/segments/" + viewers + "/test?contactId=" + olga, ws.apiKey()).body().get("stored").asBoolean());
        assertThat(get("/api/v1/segments/" + viewers + "/test?contactId=" + ivan, ws.apiKey()).body().get("stored").asBoolean()).isFalse();

        JsonNode changes = get("/api/v1/segments/" + id + "/changes", ws.apiKey()).body();
        List<String> log = new java.util.ArrayList<>();
        changes.forEach(c -> log.add(c.get("contactId").asLong() + (c.get("entered").asBoolean() ? "+" : "-")));
        assertThat(log).containsExactly(olga + "-", ivan + "-", ivan + "+");
        assertThat(get("/api/v1/segments/" + id, ws.apiKey()).body().get("size").asLong()).isZero();
        assertThat(get("/api/v1/segments/" + id + "/members", ws.apiKey()).body().get("items").size()).isZero();
    }

    @Autowired
    io.orbita.segments.internal.Membership membership;

    @Autowired
    io.orbita.tracking.TrackedLetters trackedLetters;

    @Autowired
    io.orbita.delivery.inbound.InboundProcessor inbound;

    @Autowired
    io.orbita.delivery.BounceAddress bounceAddress;

    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private long segment(TestWorkspace ws, String name, String rule) {
        Api r = post("/api/v1/segments", ws.apiKey(), json.readTree("{\"name\":\"" + name + "\",\"rule\":" + rule + "}"));
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    /** The segment's entered/left records, oldest first, as "id+" and "id-". */
    private List<String> changes(TestWorkspace ws, long segmentId) {
        List<String> out = new java.util.ArrayList<>();
        get("/api/v1/segments/" + segmentId + "/changes", ws.apiKey()).body()
                .forEach(c -> out.add(c.get("contactId").asLong() + (c.get("entered").asBoolean() ? "+" : "-")));
        return out.reversed();
    }

    /** The path of the open pixel of a letter to the contact, as the sender would put it in the letter. */
    private String pixel(TestWorkspace ws, long contactId, long messageId) {
        String html = trackedLetters.instrument(ws.id(), messageId, contactId, java.time.Instant.now().minusSeconds(3600),
                "<html><body><p>Здравствуйте!</p></body></html>");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=\"https?://[^/]+(/t/o/[^\"]+)\"").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1);
    }

    @Test
    void anOpenOverHttpMovesTheContactAtOnceAndAMachineOpenDoesNot() {
        var ws = newWorkspace();
        long anna = contact(ws, Map.of("email", "anna@open.ru"));
        long boris = contact(ws, Map.of("email", "boris@open.ru"));
        long opened = segment(ws, "Opened this week", "{\"type\":\"opened\",\"days\":7}");
        long silent = segment(ws, "Silent for a month", "{\"type\":\"not_opened\",\"days\":30}");
        assertThat(get("/api/v1/segments/" + silent, ws.apiKey()).body().get("size").asLong()).isEqualTo(2);

        // Boris's mail goes through a privacy proxy (a machine open, which no condition counts); Anna opens herself.
        assertThat(http(pixel(ws, boris, 9_001), "Mozilla/5.0")).isEqualTo(200);
        assertThat(http(pixel(ws, anna, 9_002), BROWSER)).isEqualTo(200);

        // No refresh: the hit writer's event re-evaluates Anna alone.
        await().atMost(Duration.ofSeconds(10)).until(() -> changes(ws, opened).equals(List.of(anna + "+")));
        await().atMost(Duration.ofSeconds(10)).until(() -> changes(ws, silent).equals(List.of(anna + "-")));
        assertThat(get("/api/v1/segments/" + opened, ws.apiKey()).body().get("size").asLong()).isEqualTo(1);
        assertThat(get("/api/v1/segments/" + silent, ws.apiKey()).body().get("size").asLong()).isEqualTo(1);
    }

    private int http(String path, String userAgent) {
        try {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path))).header("User-Agent", userAgent).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void repliesBouncesAndSuppressionChangesMoveTheirContactsAtOnce() {
        var ws = newWorkspace();
        long ivan = contact(ws, Map.of("email", "ivan@reply.ru"));
        long petr = contact(ws, Map.of("email", "petr@bounce.ru"));
        long replied = segment(ws, "Replied", "{\"type\":\"replied\",\"days\":30}");
        long bounced = segment(ws, "Bounced", "{\"type\":\"bounced\"}");
        long lost = segment(ws, "Consent bounced", "{\"type\":\"field\",\"field\":\"consent\",\"op\":\"eq\",\"value\":\"bounced\"}");

        // Ivan answers one of our letters (tied to the workspace by our Message-ID format in In-Reply-To).
        String ours = "<m-" + Long.toString(ws.id().value(), 36) + "-" + Long.toString(512, 36) + "-x1y2@orbita-client.ru>";
        String reply = """
                From: Иван Петров <ivan@reply.ru>
                To: Анна Смирнова <anna@orbita-client.ru>
                Subject: Re: Предложение
                Message-ID: <reply-1@reply.ru>
                In-Reply-To: %s
                Content-Type: text/plain; charset=UTF-8

                Добрый день! Давайте созвонимся.
                """.formatted(ours);
        var outcome = inbound.process(reply.getBytes(java.nio.charset.StandardCharsets.UTF_8), "api", "ivan@reply.ru",
                List.of("anna@bounces.orbita-mail.ru"));
        assertThat(outcome.effects()).contains("replied:" + ivan);
        // Petr's mailbox does not exist: a hard bounce to our per-message bounce address.
        String verp = bounceAddress.encode(ws.id(), 4242, "bounces.orbita-mail.ru");
        outcome = inbound.process(io.orbita.delivery.inbound.InboundIT.dsn("petr@bounce.ru", "5.1.1", "550 5.1.1 User unknown", verp)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "api", null, List.of(verp));
        assertThat(outcome.effects()).contains("suppressed:petr@bounce.ru", "consent_bounced:" + petr);

        await().atMost(Duration.ofSeconds(10)).until(() -> changes(ws, replied).equals(List.of(ivan + "+")));
        await().atMost(Duration.ofSeconds(10)).until(() -> changes(ws, bounced).equals(List.of(petr + "+")));
        // The consent the bounce changed is contact data: that segment follows too.
        await().atMost(Duration.ofSeconds(10)).until(() -> changes(ws, lost).equals(List.of(petr + "+")));

        // Someone takes Petr off the suppression list by hand: he has not bounced as far as segments know now.
        long entry = get("/api/v1/suppressions/check?address=petr@bounce.ru", ws.apiKey()).body().get("entry").get("id").asLong();
        assertThat(api("DELETE", "/api/v1/suppressions/" + entry, ws.apiKey(), null).status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> changes(ws, bounced).equals(List.of(petr + "+", petr + "-")));
        assertThat(changes(ws, replied)).containsExactly(ivan + "+");
    }

    @Test
    void identifyBringsTheVisitorsEarlierEventsIntoTheContactsSegments() {
        var ws = newWorkspace();
        long olga = contact(ws, Map.of("email", "olga@visit.ru"));
        long pricing = segment(ws, "Pricing twice", "{\"type\":\"event\",\"event\":\"pricing_viewed\",\"period\":{\"lastDays\":7},\"count\":2}");
        String now = java.time.OffsetDateTime.now().minusHours(1).toString();
        post("/api/v1/events", ws.apiKey(), Map.of("events", List.of(
                Map.of("type", "pricing_viewed", "visitorId", "v-olga", "occurredAt", now),
                Map.of("type", "pricing_viewed", "visitorId", "v-olga", "occurredAt", now))));
        assertThat(changes(ws, pricing)).isEmpty();

        Api identified = post("/api/v1/events/identify", ws.apiKey(), Map.of("visitorId", "v-olga", "email", "olga@visit.ru"));
        assertThat(identified.body().get("eventsAttached").asInt()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> changes(ws, pricing).equals(List.of(olga + "+")));
        assertThat(jdbc.sql("select total from contact_event_summary where workspace_id = ? and contact_id = ? and type = 'pricing_viewed'")
                .params(ws.id().value(), olga).query(Integer.class).single()).isEqualTo(2);
    }

    @Test
    void aDeletedContactLeavesNoRowsInTheSegmentTables() {
        var ws = newWorkspace();
        long gone = contact(ws, Map.of("email", "gone@del.ru", "tags", List.of("vip")));
        long stays = contact(ws, Map.of("email", "stays@del.ru", "tags", List.of("vip")));
        long vip = segment(ws, "VIP", "{\"type\":\"field\",\"field\":\"tags\",\"op\":\"has\",\"value\":\"vip\"}");
        long buyers = segment(ws, "Buyers", "{\"type\":\"bought\"}");
        post("/api/v1/products/upsert", ws.apiKey(), Map.of("sku", "DEL-1", "name", "Микроскоп", "price", 100, "category", "optics"));
        order(ws, "D-1", gone, LocalDate.now(MOSCOW).toString(), "paid", null, List.of(Map.of("sku", "DEL-1", "quantity", 1, "price", 100)));
        event(ws, Map.of("type", "page_viewed", "contactId", gone));
        // Out of the segment and back, so it has entered/left records (each change waited for: listeners run in parallel).
        api("PATCH", "/api/v1/contacts/" + gone, ws.apiKey(), Map.of("tags", List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> changes(ws, vip).equals(List.of(gone + "-")));
        api("PATCH", "/api/v1/contacts/" + gone, ws.apiKey(), Map.of("tags", List.of("vip")));
        await().atMost(Duration.ofSeconds(10)).until(() -> changes(ws, buyers).equals(List.of(gone + "+"))
                && changes(ws, vip).equals(List.of(gone + "-", gone + "+"))
                && count("contact_event_summary", ws, gone) == 1);
        assertThat(count("contact_purchase_summary", ws, gone)).isEqualTo(1);
        assertThat(count("contact_category_purchase", ws, gone)).isEqualTo(1);

        assertThat(get("/api/v1/segments/" + vip, ws.apiKey()).body().get("size").asLong()).isEqualTo(2);
        assertThat(get("/api/v1/segments/" + buyers, ws.apiKey()).body().get("size").asLong()).isEqualTo(1);
        long staysIn = count("segment_member", ws, stays);

        assertThat(api("DELETE", "/api/v1/contacts/" + gone, ws.apiKey(), null).status()).isEqualTo(204);

        for (String table : List.of("contact_purchase_summary", "contact_category_purchase", "contact_event_summary",
                "segment_member", "segment_membership_change")) {
            assertThat(count(table, ws, gone)).as(table).isZero();
        }
        assertThat(get("/api/v1/segments/" + vip, ws.apiKey()).body().get("size").asLong()).isEqualTo(1);
        assertThat(get("/api/v1/segments/" + buyers, ws.apiKey()).body().get("size").asLong()).isZero();
        assertThat(count("segment_member", ws, stays)).as("the other contact's rows stay").isEqualTo(staysIn);
    }

    private long count(String table, TestWorkspace ws, long contactId) {
        return jdbc.sql("select count(*) from " + table + " where workspace_id = ? and contact_id = ?")
                .params(ws.id().value(), contactId).query(Long.class).single();
    }


    @Autowired
    io.orbita.segments.internal.Aggregates aggregates;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void thePeriodicRefreshCatchesTimePassing() {
        var ws = newWorkspace();
        long anna = contact(ws, Map.of("email", "time@t.ru"));
        order(ws, "T-1", anna, LocalDate.now(MOSCOW).minusDays(5).toString(), "paid", 100, null);
        long id = post("/api/v1/segments", ws.apiKey(), json.readTree(
                "{\"name\":\"Recent buyers\",\"rule\":{\"type\":\"bought\",\"period\":{\"lastDays\":30}}}")).body().get("id").asLong();
        assertThat(get("/api/v1/segments/" + id, ws.apiKey()).body().get("size").asLong()).isEqualTo(1);
        // Time passes (no event says so): the order is now 40 days old.
        jdbc.sql("update customer_order set placed_at = placed_at - interval '35 days' where workspace_id = ?").param(ws.id().value()).update();
        // The per-contact purchase summaries move with the orders (as if the time had passed for them too).
        jdbc.sql("update contact_purchase_summary set first_at = first_at - interval '35 days', last_at = last_at - interval '35 days'"
                + " where workspace_id = ?").param(ws.id().value()).update();
        membership.refreshWorkspace(ws.id(), java.sql.Timestamp.from(java.time.Instant.now().plusSeconds(60)));
        assertThat(get("/api/v1/segments/" + id, ws.apiKey()).body().get("size").asLong()).isZero();
        JsonNode changes = get("/api/v1/segments/" + id + "/changes", ws.apiKey()).body();
        assertThat(changes.size()).isEqualTo(1);
        assertThat(changes.get(0).get("entered").asBoolean()).isFalse();
        JsonNode sizes = get("/api/v1/segments/" + id + "/sizes", ws.apiKey()).body();
        assertThat(sizes.get(sizes.size() - 1).get("size").asLong()).isZero();
    }

    @Test
    void staticListsSegmentsOverThemBuiltInsAndTheCompiledSql() throws Exception {
        var ws = newWorkspace();
        long a = contact(ws, Map.of("email", "a@l.ru"));
        long b = contact(ws, Map.of("email", "b@l.ru"));
        long list = post("/api/v1/lists", ws.apiKey(), Map.of("name", "Выставка 2026")).body().get("id").asLong();
        assertThat(post("/api/v1/lists/" + list + "/members", ws.apiKey(), Map.of("contactIds", List.of(a, b))).body().get("changed").asInt()).isEqualTo(2);
        JsonNode shown = get("/api/v1/lists/" + list, ws.apiKey()).body();
        assertThat(shown.get("kind").asString()).isEqualTo("list");
        assertThat(shown.has("list")).as("no stray properties in the API").isFalse();
        assertThat(post("/api/v1/lists/" + list + "/members", ws.apiKey(), Map.of("contactIds", List.of(a))).body().get("changed").asInt()).isZero();
        assertThat(post("/api/v1/lists/" + list + "/members", ws.apiKey(), Map.of("contactIds", List.of(999_999_999L))).status()).isEqualTo(400);
        long seg = post("/api/v1/segments", ws.apiKey(), json.readTree("{\"name\":\"On the list\",\"rule\":{\"type\":\"segment\",\"segment\":" + list + "}}"))
                .body().get("id").asLong();
        assertThat(get("/api/v1/segments/" + seg + "/count", ws.apiKey()).body().get("count").asLong()).isEqualTo(2);
        post("/api/v1/lists/" + list + "/members/remove", ws.apiKey(), Map.of("contactIds", List.of(b)));
        assertThat(get("/api/v1/lists/" + list + "/members", ws.apiKey()).body().get("items").size()).isEqualTo(1);
        // The rule segment over the list follows at once.
        assertThat(get("/api/v1/segments/" + seg + "/test?contactId=" + b, ws.apiKey()).body().get("stored").asBoolean()).isFalse();
        assertThat(get("/api/v1/lists/" + list + "/changes", ws.apiKey()).body().size()).isEqualTo(3);

        // Import into lists: by id and by a new name (which creates the list); unknown emails are reported.
        var job = imports.upload(ws.owner(), "list_members", "lists.csv", new java.io.ByteArrayInputStream(
                ("email;список\nb@l.ru;" + list + "\nA@L.RU;Новый список\nnobody@l.ru;Новый список\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        imports.start(ws.owner(), job.id(), Map.of("0", "email", "1", "list"), null, List.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> imports.get(ws.id(), job.id()).finished());
        var done = imports.get(ws.id(), job.id());
        assertThat(done.status()).isEqualTo("done");
        assertThat(done.created()).isEqualTo(2);
        assertThat(done.skipped()).isEqualTo(1);
        assertThat(get("/api/v1/segments/" + seg + "/test?contactId=" + b, ws.apiKey()).body().get("matchesNow").asBoolean()).isTrue();
        JsonNode lists = get("/api/v1/lists", ws.apiKey()).body().get("items");
        assertThat(lists.size()).isEqualTo(2);
        assertThat(lists.get(0).get("name").asString()).isEqualTo("Новый список");
        assertThat(lists.get(0).get("size").asLong()).isEqualTo(1);

        JsonNode all = get("/api/v1/segments?limit=100", ws.apiKey()).body().get("items");
        List<String> builtIns = new java.util.ArrayList<>();
        all.forEach(s -> {
            if (s.has("builtIn")) {
                builtIns.add(s.get("builtIn").asString());
            }
        });
        // A new workspace gets its built-in segments counted without anyone listing them.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Boolean> counted = new java.util.ArrayList<>();
            get("/api/v1/segments?limit=100", ws.apiKey()).body().get("items").forEach(s -> counted.add(s.has("refreshedAt")));
            return counted.size() >= 14 && !counted.contains(false);
        });
        // Contacts created right after the workspace are in its built-in segments, however the listeners interleave.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/api/v1/segments?limit=100", ws.apiKey()).body().get("items")
                .valueStream().filter(s -> "activity_potential".equals(s.path("builtIn").asString(null))).findFirst().orElseThrow()
                .get("size").asLong()).isEqualTo(2));
        assertThat(builtIns).contains("type_partner", "activity_active", "activity_former", "rfm_champions", "rfm_at_risk", "rfm_hibernating");

        Api schema = get("/api/v1/segments/rule-schema", ws.apiKey());
        assertThat(schema.status()).isEqualTo(200);
        assertThat(schema.body().get("$defs").get("node").get("oneOf").size()).isEqualTo(13);
        assertThat(get("/api/v1/segments/schema", ws.apiKey()).body().get("types").toString()).contains("rfm", "abandoned_cart", "segment");

        Api sql = get("/api/v1/segments/" + seg + "/sql", ws.apiKey());
        assertThat(sql.status()).isEqualTo(200);
        assertThat(sql.body().get("sql").asString()).contains("c.workspace_id = ?").doesNotContain(Long.toString(list));
        assertThat(sql.body().get("plan").asString()).isNotBlank();
        var marketer = newWorkspace(Role.MARKETER);
        long other = post("/api/v1/segments", marketer.apiKey(), json.readTree("{\"name\":\"m\",\"rule\":{\"type\":\"bought\"}}")).body().get("id").asLong();
        assertThat(get("/api/v1/segments/" + other + "/sql", marketer.apiKey()).status()).isEqualTo(403);
    }

    /** The memberships' references are checked per statement (no foreign keys): what the foreign keys did still holds. */
    @Test
    void membershipsNeedTheirContactAndSegmentAndGoWithThem() throws java.sql.SQLException {
        var ws = newWorkspace();
        long a = contact(ws, Map.of("email", "member-a@m.ru"));
        long b = contact(ws, Map.of("email", "member-b@m.ru"));
        long list = post("/api/v1/lists", ws.apiKey(), Map.of("name", "Проверка ссылок")).body().get("id").asLong();
        post("/api/v1/lists/" + list + "/members", ws.apiKey(), Map.of("contactIds", List.of(a, b)));
        String members = "select count(*) from segment_member where workspace_id = ? and segment_id = ?";
        String changes = "select count(*) from segment_membership_change where workspace_id = ? and segment_id = ?";
        assertThat(jdbc.sql(members).params(ws.id().value(), list).query(Long.class).single()).isEqualTo(2);

        // A membership of a contact or segment that does not exist is refused, as a foreign key would.
        assertThat(sqlState(() -> jdbc.sql("insert into segment_member (workspace_id, segment_id, contact_id, since) values (?, ?, ?, now())")
                .params(ws.id().value(), list, 999_999_999L).update())).isEqualTo("23503");
        assertThat(sqlState(() -> jdbc.sql("insert into segment_member (workspace_id, segment_id, contact_id, since) values (?, ?, ?, now())")
                .params(ws.id().value(), 999_999_999L, a).update())).isEqualTo("23503");
        assertThat(sqlState(() -> jdbc.sql("insert into segment_membership_change (workspace_id, segment_id, contact_id, entered, at) values (?, ?, ?, true, now())")
                .params(ws.id().value(), 999_999_999L, a).update())).isEqualTo("23503");
        // Checked by id range (a run of ids) or contact by contact (scattered ids): a contact of another workspace in
        // the middle of the run, or far away, is refused all the same, and nothing of the statement stays.
        var other = newWorkspace();
        long early = contact(ws, Map.of("email", "member-c@m.ru"));
        long foreign = contact(other, Map.of("email", "member-d@m.ru"));
        long late = contact(ws, Map.of("email", "member-e@m.ru"));
        String three = "insert into segment_member (workspace_id, segment_id, contact_id, since) select ?, ?, unnest(cast(? as bigint[])), now()";
        assertThat(sqlState(() -> jdbc.sql(three).params(ws.id().value(), list, new Long[] {early, foreign, late}).update())).isEqualTo("23503");
        assertThat(sqlState(() -> jdbc.sql(three).params(ws.id().value(), list, new Long[] {late, late + 1_000_000_000L}).update())).isEqualTo("23503");
        assertThat(jdbc.sql(members).params(ws.id().value(), list).query(Long.class).single()).isEqualTo(2);
        // Rows of two workspaces in one statement are checked pair by pair: each contact and list in its own workspace
        // passes, a contact under the other workspace's list does not.
        long otherList = post("/api/v1/lists", other.apiKey(), Map.of("name", "Чужой список")).body().get("id").asLong();
        String two = "insert into segment_member (workspace_id, segment_id, contact_id, since) values (?, ?, ?, now()), (?, ?, ?, now())";
        assertThat(sqlState(() -> jdbc.sql(two).params(ws.id().value(), list, early, other.id().value(), otherList, foreign).update())).isEqualTo("no error");
        assertThat(sqlState(() -> jdbc.sql(two).params(ws.id().value(), list, late, other.id().value(), otherList, late).update())).isEqualTo("23503");
        assertThat(sqlState(() -> jdbc.sql(two).params(ws.id().value(), list, late, other.id().value(), list, foreign).update())).isEqualTo("23503");
        assertThat(jdbc.sql(members).params(ws.id().value(), list).query(Long.class).single()).isEqualTo(3);
        // Until a membership commits, its contact cannot be deleted (the check holds a key share lock, as a foreign key).
        try (var writer = dataSource.getConnection(); var deleter = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            try (var insert = writer.prepareStatement(
                    "insert into segment_member (workspace_id, segment_id, contact_id, since) values (?, ?, ?, now())")) {
                insert.setLong(1, ws.id().value());
                insert.setLong(2, list);
                insert.setLong(3, late);
                insert.executeUpdate();
            }
            try (var delete = deleter.createStatement()) {
                delete.execute("set lock_timeout = '300ms'");
                assertThat(org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> delete.executeUpdate("delete from contact where workspace_id = " + ws.id().value() + " and id = " + late))
                        .getSQLState()).isEqualTo("55P03");
                delete.execute("reset lock_timeout");
            }
            writer.rollback();
        }
        assertThat(sqlState(() -> jdbc.sql("update segment_member set contact_id = ? where workspace_id = ? and segment_id = ? and contact_id = ?")
                .params(b + 1_000_000, ws.id().value(), list, a).update())).isEqualTo("23503");

        // The same for contacts and consent records in a workspace that does not exist (checked per statement too).
        assertThat(sqlState(() -> jdbc.sql("insert into contact (workspace_id, email, created_at, updated_at) values (999999999, 'x@nowhere.ru', now(), now())")
                .update())).isEqualTo("23503");
        assertThat(sqlState(() -> jdbc.sql("insert into consent_event (workspace_id, contact_id, status, at, method, actor) values (999999999, ?, 'subscribed', now(), 'api', 'test')")
                .param(b).update())).isEqualTo("23503");

        // Deleting a contact takes its memberships with it; deleting the list takes the rest and the change records.
        assertThat(api("DELETE", "/api/v1/contacts/" + a, ws.apiKey(), null).status()).isEqualTo(204);
        assertThat(jdbc.sql(members).params(ws.id().value(), list).query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql(changes).params(ws.id().value(), list).query(Long.class).single()).isPositive();
        // Deleted by plain SQL (no application event), the contact's memberships go all the same, in every workspace.
        assertThat(jdbc.sql("delete from contact where (workspace_id = ? and id = ?) or (workspace_id = ? and id = ?)")
                .params(ws.id().value(), early, other.id().value(), foreign).update()).isEqualTo(2);
        assertThat(jdbc.sql(members).params(ws.id().value(), list).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql(members).params(other.id().value(), otherList).query(Long.class).single()).isZero();
        assertThat(api("DELETE", "/api/v1/lists/" + list, ws.apiKey(), null).status()).isIn(200, 204);
        assertThat(jdbc.sql(members).params(ws.id().value(), list).query(Long.class).single()).isZero();
        assertThat(jdbc.sql(changes).params(ws.id().value(), list).query(Long.class).single()).isZero();
    }

    private static String sqlState(Runnable statement) {
        try {
            statement.run();
            return "no error";
        } catch (org.springframework.dao.DataAccessException e) {
            Throwable t = e;
            while (t != null && !(t instanceof java.sql.SQLException)) {
                t = t.getCause();
            }
            return t == null ? e.toString() : ((java.sql.SQLException) t).getSQLState();
        }
    }
}
