package io.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import io.orbita.campaigns.internal.CampaignRunner;
import io.orbita.delivery.Outbox;
import io.orbita.delivery.internal.CapturedMail;
import io.orbita.tracking.MailingKind;
import io.orbita.tracking.Preferences;
import io.orbita.tracking.TrackedLetters;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Campaigns end to end: API, the worker, the outbox, the capture SMTP server, tracking hits over HTTP and the report. */
class CampaignsIT extends OrbitaIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    Preferences preferences;
    @Autowired
    CapturedMail captured;
    @Autowired
    TrackedLetters letters;
    @Autowired
    CampaignRunner runner;
    @Autowired
    Campaigns campaigns;
    @Autowired
    Outbox outbox;

    long contact(TestWorkspace ws, String email, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("email", email);
        Api r = post("/api/v1/contacts", ws.apiKey(), body);
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    long list(TestWorkspace ws, String name, List<Long> contactIds) {
        long id = post("/api/v1/lists", ws.apiKey(), Map.of("name", name)).body().get("id").asLong();
        assertThat(post("/api/v1/lists/" + id + "/members", ws.apiKey(), Map.of("contactIds", contactIds)).status()).isLessThan(300);
        return id;
    }

    long template(TestWorkspace ws) {
        Api r = post("/api/v1/templates", ws.apiKey(), Map.of("name", "Новости " + UUID.randomUUID(), "kind", "news",
                "subject", "Новости для {{ contact.first_name }}",
                "html", "<html><body><p>Здравствуйте!</p><a href=\"https://shop.example/sale\">Скидки</a> "
                        + "<a href=\"{{ unsubscribe_url }}\">Отписаться</a></body></html>"));
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    long campaign(TestWorkspace ws, Map<String, Object> fields) {
        Api r = post("/api/v1/campaigns", ws.apiKey(), fields);
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        assertThat(r.body().get("state").asString()).isEqualTo("draft");
        return r.body().get("id").asLong();
    }

    JsonNode awaitState(TestWorkspace ws, long id, String state) {
        JsonNode[] last = {null};
        await().atMost(WAIT).untilAsserted(() -> {
            last[0] = get("/api/v1/campaigns/" + id, ws.apiKey()).body();
            assertThat(last[0].get("state").asString()).isEqualTo(state);
        });
        return last[0];
    }

    List<Long> messages(TestWorkspace ws, long campaignId) {
        return jdbc.sql("select message_id from campaign_recipient where workspace_id = ? and campaign_id = ? and message_id is not null order by contact_id")
                .params(ws.id().value(), campaignId).query(Long.class).list();
    }

    static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@client.example";
    }

    @Test
    void aCampaignReachesItsSegmentSkipsWhomItMustAndReportsHonestFigures() throws Exception {
        TestWorkspace ws = newWorkspace();
        long template = template(ws);
        long reader = contact(ws, email("reader"), Map.of("firstName", "Иван"));
        long managed = contact(ws, email("managed"), Map.of("firstName", "Пётр", "managerId", ws.ownerId()));
        long unsubscribed = contact(ws, email("unsub"), Map.of("consentStatus", "unsubscribed"));
        String suppressedEmail = email("suppressed");
        long suppressed = contact(ws, suppressedEmail, Map.of());
        assertThat(post("/api/v1/suppressions", ws.apiKey(), Map.of("address", suppressedEmail)).status()).isEqualTo(201);
        long optedOut = contact(ws, email("optout"), Map.of());
        preferences.choose(ws.id(), optedOut, Set.of(MailingKind.NEWS), null);
        long capped = contact(ws, email("capped"), Map.of());
        long excluded = contact(ws, email("excluded"), Map.of());

        // The capped contact already got a marketing campaign this week; the cap is one.
        assertThat(api("PUT", "/api/v1/campaign-settings", ws.apiKey(), Map.of("weeklyCap", 1)).status()).isEqualTo(200);
        long earlier = campaign(ws, Map.of("name", "Раньше", "kind", "promo", "segmentIds", List.of(list(ws, "capped", List.of(capped))),
                "templateId", template, "fromEmail", "news@shop.example", "fromName", "Магазин"));
        assertThat(post("/api/v1/campaigns/" + earlier + "/send", ws.apiKey(), null).status()).isEqualTo(200);
        awaitState(ws, earlier, "sent");

        long all = list(ws, "all", List.of(reader, managed, unsubscribed, suppressed, optedOut, capped, excluded));
        long again = list(ws, "again", List.of(reader));
        long leaveOut = list(ws, "leave out", List.of(excluded));
        long id = campaign(ws, Map.of("name", "Ноябрьские новости", "kind", "news", "segmentIds", List.of(all, again),
                "excludeSegmentIds", List.of(leaveOut), "templateId", template,
                "fromEmail", "news@shop.example", "fromName", "Магазин"));
        Api sent = post("/api/v1/campaigns/" + id + "/send", ws.apiKey(), null);
        assertThat(sent.status()).isEqualTo(200);
        awaitState(ws, id, "sent");

        // Two letters: to the reader and to the managed contact, who gets it from their personal manager.
        List<Long> ids = messages(ws, id);
        assertThat(ids).hasSize(2);
        await().atMost(WAIT).untilAsserted(() -> {
            for (long m : ids) {
                assertThat(outbox.get(ws.id(), m).status()).isEqualTo("sent");
            }
        });
        Map<Long, Outbox.Message> byContact = new HashMap<>();
        ids.forEach(m -> byContact.put(outbox.get(ws.id(), m).contactId(), outbox.get(ws.id(), m)));
        assertThat(byContact.keySet()).containsExactlyInAnyOrder(reader, managed);
        assertThat(byContact.get(reader).from()).isEqualTo("Магазин <news@shop.example>");
        assertThat(byContact.get(managed).from()).contains(ws.ownerEmail());
        assertThat(captured.list(ws.id(), 10)).extracting(CapturedMail.Summary::subject)
                .contains("Новости для Иван", "Новости для Пётр");

        JsonNode stats = get("/api/v1/campaigns/" + id + "/stats", ws.apiKey()).body();
        JsonNode skipped = stats.get("progress").get("skipped");
        assertThat(skipped.get("unsubscribed").asLong()).isEqualTo(1);
        assertThat(skipped.get("suppressed").asLong()).isEqualTo(1);
        assertThat(skipped.get("opted_out").asLong()).isEqualTo(1);
        assertThat(skipped.get("frequency_cap").asLong()).isEqualTo(1);
        assertThat(skipped.get("duplicate").asLong()).isEqualTo(1);
        assertThat(stats.get("progress").get("total").asLong()).isEqualTo(6);
        assertThat(stats.get("progress").get("sent").asLong()).isEqualTo(2);
        assertThat(stats.get("recipients").asLong()).isEqualTo(2);
        assertThat(stats.get("delivered").asLong()).isEqualTo(2);
        assertThat(stats.get("uniqueOpens").asLong()).isZero();
        assertThat(stats.get("openRate").asDouble()).isZero();
        assertThat(stats.has("ctor") && !stats.get("ctor").isNull()).as("CTOR without opens").isFalse();

        // The reader opens twice and clicks; a link scanner clicks the managed contact's letter.
        long readerMessage = byContact.get(reader).id();
        String html = letters.instrument(ws.id(), readerMessage, reader, Instant.now().minus(Duration.ofHours(1)),
                "<html><body><a href=\"https://shop.example/sale\">Скидки</a></body></html>");
        hit(path(html, "/t/o/"), BROWSER);
        hit(path(html, "/t/o/"), BROWSER);
        hit(path(html, "/t/c/"), BROWSER);
        String scanned = letters.instrument(ws.id(), byContact.get(managed).id(), managed, Instant.now().minus(Duration.ofHours(1)),
                "<html><body><a href=\"https://shop.example/sale\">Скидки</a></body></html>");
        hit(path(scanned, "/t/c/"), "Mozilla/5.0 (compatible; Barracuda Sentinel)");

        // Orders: one within the window after the click (attributed), one before it and one cancelled (not).
        String after = Instant.now().plus(Duration.ofMinutes(5)).toString();
        order(ws, "A-1", reader, after, "paid", 1500);
        order(ws, "A-2", reader, Instant.now().minus(Duration.ofDays(2)).toString(), "paid", 700);
        order(ws, "A-3", reader, after, "cancelled", 900);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode r = get("/api/v1/campaigns/" + id + "/stats", ws.apiKey()).body();
            assertThat(r.get("uniqueOpens").asLong()).isEqualTo(1);
            assertThat(r.get("totalOpens").asLong()).isEqualTo(2);
            assertThat(r.get("uniqueClicks").asLong()).isEqualTo(1);
            assertThat(r.get("openRate").asDouble()).isEqualTo(0.5);
            assertThat(r.get("clickRate").asDouble()).isEqualTo(0.5);
            assertThat(r.get("ctor").asDouble()).isEqualTo(1.0);
            assertThat(r.get("orders").asLong()).isEqualTo(1);
            assertThat(r.get("revenue").decimalValue()).isEqualByComparingTo("1500");
            assertThat(r.get("links").get(0).get("url").asString()).isEqualTo("https://shop.example/sale");
            JsonNode machine = get("/api/v1/campaigns/" + id + "/stats?machine=true", ws.apiKey()).body();
            assertThat(machine.get("uniqueClicks").asLong()).isEqualTo(2);
        });

        HttpResponse<String> csv = http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/campaigns/" + id + "/report.csv")))
                .header("Authorization", "Bearer " + ws.apiKey()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).contains("metric,value", "recipients,2", "delivered,2", "unique_opens,1", "open_rate,0.5",
                "revenue,1500", "skipped_frequency_cap,1");

        // A sent campaign is kept: no delete, no second send.
        assertThat(api("DELETE", "/api/v1/campaigns/" + id, ws.apiKey(), null).status()).isEqualTo(409);
        assertThat(post("/api/v1/campaigns/" + id + "/send", ws.apiKey(), null).status()).isEqualTo(409);
    }

    @Test
    void pauseAndRestartResumeExactlyWhereSendingStopped() {
        TestWorkspace ws = newWorkspace();
        long template = template(ws);
        List<Long> contacts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            contacts.add(contact(ws, email("p" + i), Map.of()));
        }
        long all = list(ws, "all", contacts);
        long id = campaign(ws, Map.of("name", "Пауза", "kind", "event", "segmentIds", List.of(all), "templateId", template,
                "fromEmail", "news@shop.example"));
        assertThat(post("/api/v1/campaigns/" + id + "/pause", ws.apiKey(), null).status()).isEqualTo(409);
        assertThat(post("/api/v1/campaigns/" + id + "/schedule", ws.apiKey(),
                Map.of("at", Instant.now().plus(Duration.ofHours(1)).toString())).body().get("state").asString()).isEqualTo("scheduled");

        // A node took the campaign, fixed the list and queued the first two letters; it holds the lease.
        jdbc.sql("update campaign set state = 'sending', locked_until = now() + interval '1 hour' where workspace_id = ? and id = ?")
                .params(ws.id().value(), id).update();
        runner.fixRecipients(ws.id(), campaigns.get(ws.id(), id));
        for (long c : contacts.subList(0, 2)) {
            long m = outbox.enqueue(ws.id(), null, new Outbox.NewMessage(c, null, "marketing", template, null, null, null,
                    Map.of(), null, "news@shop.example", null, "campaign:" + id + ":" + c)).id();
            jdbc.sql("update campaign_recipient set message_id = ?, queued_at = now() where workspace_id = ? and campaign_id = ? and contact_id = ?")
                    .params(m, ws.id().value(), id, c).update();
        }
        assertThat(get("/api/v1/campaigns/" + id + "/stats", ws.apiKey()).body().get("progress").get("pending").asLong()).isEqualTo(3);

        assertThat(post("/api/v1/campaigns/" + id + "/pause", ws.apiKey(), null).body().get("state").asString()).isEqualTo("paused");
        // The node dies; its lease runs out. A paused campaign stays paused.
        jdbc.sql("update campaign set locked_until = now() - interval '1 second' where workspace_id = ? and id = ?")
                .params(ws.id().value(), id).update();
        assertThat(get("/api/v1/campaigns/" + id, ws.apiKey()).body().get("state").asString()).isEqualTo("paused");
        assertThat(get("/api/v1/campaigns/" + id + "/stats", ws.apiKey()).body().get("progress").get("pending").asLong()).isEqualTo(3);

        assertThat(post("/api/v1/campaigns/" + id + "/resume", ws.apiKey(), null).body().get("state").asString()).isEqualTo("sending");
        awaitState(ws, id, "sent");
        // Every contact got exactly one letter: the first two kept theirs, the other three were queued after the resume.
        long letters = jdbc.sql("select count(*) from outbox_message where workspace_id = ? and idempotency_key like ?")
                .params(ws.id().value(), "campaign:" + id + ":%").query(Long.class).single();
        assertThat(letters).isEqualTo(5);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode p = get("/api/v1/campaigns/" + id + "/stats", ws.apiKey()).body().get("progress");
            assertThat(p.get("sent").asLong()).isEqualTo(5);
            assertThat(p.get("pending").asLong()).isZero();
        });
        assertThat(post("/api/v1/campaigns/" + id + "/cancel", ws.apiKey(), null).status()).isEqualTo(409);
    }

    @Test
    void anAbTestSendsTheSignificantWinnerToTheRest() {
        TestWorkspace ws = newWorkspace();
        long template = template(ws);
        List<Long> contacts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            contacts.add(contact(ws, email("ab" + i), Map.of("firstName", "Гость")));
        }
        long all = list(ws, "ab", contacts);
        long id = campaign(ws, Map.of("name", "A/B", "kind", "promo", "segmentIds", List.of(all), "templateId", template,
                "fromEmail", "news@shop.example", "abTest", Map.of("subjects", List.of("Альфа {{ contact.first_name }}", "Бета"),
                        "share", 50, "metric", "open_rate", "waitMinutes", 60, "defaultVariant", 2)));
        assertThat(post("/api/v1/campaigns/" + id + "/send", ws.apiKey(), null).status()).isEqualTo(200);

        // Half the list gets the test letters, five per variant; the rest waits for the decision.
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode c = get("/api/v1/campaigns/" + id, ws.apiKey()).body();
            assertThat(c.get("abTest").has("decideAt")).isTrue();
            assertThat(messages(ws, id)).hasSize(10);
        });
        List<Map<String, Object>> test = jdbc.sql("""
                        select contact_id, message_id, variant from campaign_recipient
                        where workspace_id = ? and campaign_id = ? and message_id is not null""")
                .params(ws.id().value(), id).query().listOfRows();
        assertThat(test).extracting(r -> ((Number) r.get("variant")).intValue()).containsOnly(1, 2).filteredOn(v -> v == 1).hasSize(5);
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/api/v1/campaigns/" + id + "/stats", ws.apiKey()).body()
                .get("delivered").asLong()).isEqualTo(10));
        // Every letter of variant 1 is opened, none of variant 2.
        for (Map<String, Object> r : test) {
            if (((Number) r.get("variant")).intValue() == 1) {
                String html = letters.instrument(ws.id(), ((Number) r.get("message_id")).longValue(), ((Number) r.get("contact_id")).longValue(),
                        Instant.now().minus(Duration.ofHours(1)), "<html><body><p>x</p></body></html>");
                hit(path(html, "/t/o/"), BROWSER);
            }
        }
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode v = get("/api/v1/campaigns/" + id + "/variants", ws.apiKey()).body();
            assertThat(v.get(0).get("uniqueOpens").asLong()).isEqualTo(5);
            assertThat(v.get(0).get("openRate").asDouble()).isEqualTo(1.0);
            assertThat(v.get(1).get("openRate").asDouble()).isEqualTo(0.0);
            assertThat(v.get(0).get("openRateCi").get(0).asDouble()).isGreaterThan(0.5);
        });
        // The decision time comes.
        jdbc.sql("update campaign set ab_decide_at = now() - interval '1 second', locked_until = now() - interval '1 second' where workspace_id = ? and id = ?")
                .params(ws.id().value(), id).update();
        JsonNode done = awaitState(ws, id, "sent");
        assertThat(done.get("abTest").get("winner").asInt()).isEqualTo(1);
        assertThat(done.get("abTest").get("significant").asBoolean()).isTrue();
        assertThat(messages(ws, id)).hasSize(20);
        await().atMost(WAIT).untilAsserted(() -> assertThat(captured.list(ws.id(), 50)).extracting(CapturedMail.Summary::subject)
                .filteredOn(sub -> sub.startsWith("Альфа Гость")).hasSize(15));
        assertThat(captured.list(ws.id(), 50)).extracting(CapturedMail.Summary::subject).filteredOn("Бета"::equals).hasSize(5);
    }

    @Test
    void badInputIsNamedAndOtherWorkspacesObjectsAreUnknown() {
        TestWorkspace ws = newWorkspace();
        TestWorkspace other = newWorkspace();
        long foreignList = list(other, "foreign", List.of(contact(other, email("foreign"), Map.of())));
        Api r = post("/api/v1/campaigns", ws.apiKey(), Map.of("name", "", "kind", "spam", "segmentIds", List.of(foreignList),
                "templateId", 999999999, "fromEmail", "not an address"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().toString()).contains("name", "kind must be one of", "no segment or list " + foreignList,
                "no template 999999999", "fromEmail is not an email address");
        Api unknown = post("/api/v1/campaigns", ws.apiKey(), Map.of("name", "x", "colour", "red"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().toString()).contains("colour");
    }

    void order(TestWorkspace ws, String externalId, long contactId, String placedAt, String status, int total) {
        Api r = post("/api/v1/orders/upsert", ws.apiKey(), Map.of("externalId", externalId, "contactId", contactId,
                "placedAt", placedAt, "status", status, "total", total));
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
    }

    static String path(String html, String prefix) {
        Matcher m = Pattern.compile("\"https?://[^/]+(" + Pattern.quote(prefix) + "[^\"]+)\"").matcher(html);
        assertThat(m.find()).as(prefix + " in " + html).isTrue();
        return m.group(1);
    }

    void hit(String path, String userAgent) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url(path))).header("User-Agent", userAgent).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isIn(200, 302);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
