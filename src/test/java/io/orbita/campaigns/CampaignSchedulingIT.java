package io.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import io.orbita.delivery.internal.CapturedMail;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sending in each recipient's local time (send window, quiet hours, time zone of contact → company → workspace), the
 * batch enqueue into the outbox, and the campaign's subject and preheader replacing the template's while its layout
 * stays.
 */
class CampaignSchedulingIT extends OrbitaIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    @Autowired
    JdbcClient jdbc;
    @Autowired
    CapturedMail captured;

    long contact(TestWorkspace ws, String email, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("email", email);
        Api r = post("/api/v1/contacts", ws.apiKey(), body);
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    long list(TestWorkspace ws, List<Long> contactIds) {
        long id = post("/api/v1/lists", ws.apiKey(), Map.of("name", "list " + UUID.randomUUID())).body().get("id").asLong();
        assertThat(post("/api/v1/lists/" + id + "/members", ws.apiKey(), Map.of("contactIds", contactIds)).status()).isLessThan(300);
        return id;
    }

    long template(TestWorkspace ws, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Письмо " + UUID.randomUUID(), "kind", "news",
                "subject", "Template subject", "html", "<p>Body for {{ contact.first_name }}</p> <a href=\"{{ unsubscribe_url }}\">x</a>"));
        body.putAll(extra);
        Api r = post("/api/v1/templates", ws.apiKey(), body);
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    long campaign(TestWorkspace ws, Map<String, Object> fields) {
        Api r = post("/api/v1/campaigns", ws.apiKey(), fields);
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    void awaitState(TestWorkspace ws, long id, String state) {
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(get("/api/v1/campaigns/" + id, ws.apiKey()).body().get("state").asString()).isEqualTo(state));
    }

    /** When the contact's letter may go out, as the outbox holds it. */
    Instant notBefore(TestWorkspace ws, long campaignId, long contactId) {
        return jdbc.sql("""
                        select m.next_attempt_at from campaign_recipient r
                        join outbox_message m on m.workspace_id = r.workspace_id and m.id = r.message_id
                        where r.workspace_id = ? and r.campaign_id = ? and r.contact_id = ?""")
                .params(ws.id().value(), campaignId, contactId).query(java.sql.Timestamp.class).single().toInstant();
    }

    void timeZoneFields(TestWorkspace ws) {
        for (String entity : List.of("contact", "company")) {
            Api r = post("/api/v1/custom-fields", ws.apiKey(), Map.of("entity", entity, "key", "time_zone", "type", "text"));
            assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(201);
        }
    }

    static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@client.example";
    }

    @Test
    void eachRecipientGetsTheLetterInsideTheWindowOfTheirOwnLocalTime() {
        TestWorkspace ws = newWorkspace();
        timeZoneFields(ws);
        long template = template(ws, Map.of());
        Api company = post("/api/v1/companies", ws.apiKey(), Map.of("name", "Дальний Восток " + UUID.randomUUID(),
                "customFields", Map.of("time_zone", "Asia/Vladivostok")));
        assertThat(company.status()).as(String.valueOf(company.body())).isEqualTo(201);
        long moscow = contact(ws, email("msk"), Map.of());
        long london = contact(ws, email("lon"), Map.of("customFields", Map.of("time_zone", "Europe/London")));
        long vladivostok = contact(ws, email("vvo"), Map.of("companyId", company.body().get("id").asLong()));
        long bogus = contact(ws, email("bogus"), Map.of("customFields", Map.of("time_zone", "Mars/Olympus")));
        long id = campaign(ws, Map.of("name", "Окно", "kind", "news", "segmentIds", List.of(list(ws, List.of(moscow, london, vladivostok, bogus))),
                "templateId", template, "fromEmail", "news@shop.example"));

        // A one-hour window starting two hours from now, Moscow wall-clock time: far from every edge for these zones.
        LocalTime start = Instant.now().atZone(MOSCOW).toLocalTime().plusHours(2).truncatedTo(ChronoUnit.MINUTES);
        String window = start + "-" + start.plusHours(1);
        Api bad = post("/api/v1/campaigns/" + id + "/schedule", ws.apiKey(), Map.of("sendWindow", "10-12"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().toString()).contains("sendWindow");
        Api ok = post("/api/v1/campaigns/" + id + "/schedule", ws.apiKey(), Map.of("sendWindow", window));
        assertThat(ok.status()).as(String.valueOf(ok.body())).isEqualTo(200);
        assertThat(ok.body().get("sendWindow").asString()).isEqualTo(window);
        awaitState(ws, id, "sent");

        Instant now = Instant.now();
        LocalWindow w = LocalWindow.parse(window).orElseThrow();
        // Moscow (the workspace's zone, also for an unknown zone name): today in two hours.
        assertThat(notBefore(ws, id, moscow)).isCloseTo(LocalWindow.earliest(now, MOSCOW, w, null), within());
        assertThat(notBefore(ws, id, bogus)).isCloseTo(LocalWindow.earliest(now, MOSCOW, w, null), within());
        // London, three hours behind: five hours from now.
        assertThat(notBefore(ws, id, london)).isCloseTo(LocalWindow.earliest(now, ZoneId.of("Europe/London"), w, null), within());
        // Vladivostok (the company's zone), seven hours ahead: the window has passed there today, so tomorrow's.
        Instant vvo = notBefore(ws, id, vladivostok);
        assertThat(vvo).isCloseTo(LocalWindow.earliest(now, ZoneId.of("Asia/Vladivostok"), w, null), within());
        assertThat(vvo.atZone(ZoneId.of("Asia/Vladivostok")).toLocalTime()).isEqualTo(start);
        assertThat(vvo).isAfter(now.plus(Duration.ofHours(12)));
        // Held in the outbox, not sent.
        assertThat(jdbc.sql("select count(*) from outbox_message where workspace_id = ? and state = 'queued'")
                .param(ws.id().value()).query(Long.class).single()).isEqualTo(4);
    }

    @Test
    void quietHoursHoldMarketingLettersButNotServiceOnes() {
        TestWorkspace ws = newWorkspace();
        timeZoneFields(ws);
        long template = template(ws, Map.of());
        LocalTime now = Instant.now().atZone(MOSCOW).toLocalTime().truncatedTo(ChronoUnit.MINUTES);
        String quiet = now.minusHours(1) + "-" + now.plusHours(1);
        Api s = api("PUT", "/api/v1/campaign-settings", ws.apiKey(), Map.of("quietHours", quiet));
        assertThat(s.status()).as(String.valueOf(s.body())).isEqualTo(200);
        assertThat(s.body().get("quietHours").asString()).isEqualTo(quiet);
        assertThat(api("PUT", "/api/v1/campaign-settings", ws.apiKey(), Map.of("quietHours", "late")).status()).isEqualTo(400);

        long moscow = contact(ws, email("msk"), Map.of());
        long london = contact(ws, email("lon"), Map.of("customFields", Map.of("time_zone", "Europe/London")));
        long audience = list(ws, List.of(moscow, london));
        long promo = campaign(ws, Map.of("name", "Ночь", "kind", "promo", "segmentIds", List.of(audience),
                "templateId", template, "fromEmail", "news@shop.example"));
        assertThat(post("/api/v1/campaigns/" + promo + "/send", ws.apiKey(), null).status()).isEqualTo(200);
        awaitState(ws, promo, "sent");
        Instant t = Instant.now();
        // Moscow is inside its quiet hours: held until they end. London (three hours behind) is not: at once.
        assertThat(notBefore(ws, promo, moscow)).isCloseTo(LocalWindow.earliest(t, MOSCOW, null,
                LocalWindow.parse(quiet).orElseThrow()), within());
        assertThat(notBefore(ws, promo, moscow)).isAfter(t.plus(Duration.ofMinutes(30)));
        assertThat(notBefore(ws, promo, london)).isBefore(t.plusSeconds(1));

        long service = campaign(ws, Map.of("name", "Сервис", "kind", "service", "segmentIds", List.of(audience),
                "templateId", template, "fromEmail", "news@shop.example"));
        assertThat(post("/api/v1/campaigns/" + service + "/send", ws.apiKey(), null).status()).isEqualTo(200);
        awaitState(ws, service, "sent");
        assertThat(notBefore(ws, service, moscow)).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void theCampaignsSubjectAndPreheaderReplaceTheTemplatesWhileItsLayoutStays() throws Exception {
        TestWorkspace ws = newWorkspace();
        Api layout = post("/api/v1/layouts", ws.apiKey(), Map.of("name", "Brand " + UUID.randomUUID(),
                "html", "<html><body><div>LAYOUT-MARK</div>{{ content }}</body></html>"));
        assertThat(layout.status()).as(String.valueOf(layout.body())).isEqualTo(201);
        long template = template(ws, Map.of("layoutId", layout.body().get("id").asLong(), "preheader", "TEMPLATE-PREHEADER"));
        long reader = contact(ws, email("reader"), Map.of("firstName", "Ivan"));
        long id = campaign(ws, Map.of("name", "Override", "kind", "news", "segmentIds", List.of(list(ws, List.of(reader))),
                "templateId", template, "fromEmail", "news@shop.example", "subject", "Own subject for {{ contact.first_name }}",
                "preheader", "CAMPAIGN-PREHEADER"));
        assertThat(post("/api/v1/campaigns/" + id + "/send", ws.apiKey(), null).status()).isEqualTo(200);
        awaitState(ws, id, "sent");

        CapturedMail.Summary mail = await().atMost(WAIT).until(() -> captured.list(ws.id(), 10).stream()
                .filter(m -> "Own subject for Ivan".equals(m.subject())).findFirst().orElse(null), m -> m != null);
        String html = html(captured.get(ws.id(), mail.id()).raw());
        assertThat(html).contains("LAYOUT-MARK", "CAMPAIGN-PREHEADER", "Body for Ivan").doesNotContain("TEMPLATE-PREHEADER");

    }

    @Test
    void anAbTestOfContentByRevenueWithNoDifferenceSendsTheDefaultToTheRest() {
        TestWorkspace ws = newWorkspace();
        long first = template(ws, Map.of("subject", "Content A"));
        long second = template(ws, Map.of("subject", "Content B"));
        List<Long> contacts = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            contacts.add(contact(ws, email("ab" + i), Map.of()));
        }
        Api bad = post("/api/v1/campaigns", ws.apiKey(), Map.of("name", "AB", "kind", "promo", "segmentIds", List.of(list(ws, contacts)),
                "templateId", first, "abTest", Map.of("kind", "template", "variants", List.of(String.valueOf(first), "999999999"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().toString()).contains("no template 999999999");
        long id = campaign(ws, Map.of("name", "AB", "kind", "promo", "segmentIds", List.of(list(ws, contacts)),
                "templateId", first, "fromEmail", "news@shop.example", "abTest", Map.of("kind", "template",
                        "variants", List.of(String.valueOf(first), String.valueOf(second)), "share", 50, "metric", "revenue",
                        "waitMinutes", 0, "defaultVariant", 2)));
        assertThat(post("/api/v1/campaigns/" + id + "/send", ws.apiKey(), null).status()).isEqualTo(200);
        awaitState(ws, id, "sent");
        var c = get("/api/v1/campaigns/" + id, ws.apiKey()).body().get("abTest");
        assertThat(c.get("kind").asString()).isEqualTo("template");
        assertThat(c.get("significant").asBoolean()).isFalse();
        assertThat(c.get("winner").asInt()).isEqualTo(2);
        var variants = get("/api/v1/campaigns/" + id + "/variants", ws.apiKey()).body();
        assertThat(variants.get(0).get("kind").asString()).isEqualTo("template");
        assertThat(variants.get(0).get("revenue").decimalValue()).isEqualByComparingTo("0");
        assertThat(variants.has("revenueSample")).isFalse();
        // Three test letters per variant; the six others got the default, content B.
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> subjects = captured.list(ws.id(), 50).stream().map(CapturedMail.Summary::subject).toList();
            assertThat(subjects).filteredOn("Content A"::equals).hasSize(3);
            assertThat(subjects).filteredOn("Content B"::equals).hasSize(9);
        });
    }

    @Test
    void everyLetterHasASignedWebVersionWithTrackedLinks() throws Exception {
        TestWorkspace ws = newWorkspace();
        long template = template(ws, Map.of("subject", "Web version letter", "html",
                "<p>WEB-BODY for {{ contact.first_name }}</p><a href=\"https://shop.example/offer\">Offer</a> "
                        + "<a href=\"{{ links.web_version }}\">Open in the browser</a> <a href=\"{{ unsubscribe_url }}\">x</a>"));
        long reader = contact(ws, email("web"), Map.of("firstName", "Olga"));
        long id = campaign(ws, Map.of("name", "Web", "kind", "news", "segmentIds", List.of(list(ws, List.of(reader))),
                "templateId", template, "fromEmail", "news@shop.example"));
        assertThat(post("/api/v1/campaigns/" + id + "/send", ws.apiKey(), null).status()).isEqualTo(200);
        CapturedMail.Summary mail = await().atMost(WAIT).until(() -> captured.list(ws.id(), 10).stream()
                .filter(m -> "Web version letter".equals(m.subject())).findFirst().orElse(null), m -> m != null);
        String letter = html(captured.get(ws.id(), mail.id()).raw());
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("https?://[^\"]+(/w/[^\"]+)").matcher(letter);
        assertThat(link.find()).as(letter).isTrue();
        String path = link.group(1);

        var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        // As the recipient got it: personalized, links still going through the click redirect, the open pixel in.
        assertThat(page.body()).contains("WEB-BODY for Olga", "/t/c/", "/t/o/").doesNotContain("href=\"https://shop.example/offer\"");

        String tampered = path.substring(0, path.length() - 2) + (path.endsWith("A") ? "BB" : "AA");
        var bad = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(tampered))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).doesNotContain("WEB-BODY");
        var made = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/w/1.2.3.4.xyz"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(made.statusCode()).isEqualTo(400);

        // A campaign's recipients go with it.
        String count = "select count(*) from campaign_recipient where workspace_id = ? and campaign_id = ?";
        assertThat(jdbc.sql(count).params(ws.id().value(), id).query(Long.class).single()).isEqualTo(1);
        jdbc.sql("delete from campaign where workspace_id = ? and id = ?").params(ws.id().value(), id).update();
        assertThat(jdbc.sql(count).params(ws.id().value(), id).query(Long.class).single()).isZero();
    }

    private static org.assertj.core.data.TemporalUnitOffset within() {
        return org.assertj.core.api.Assertions.within(90, ChronoUnit.SECONDS);
    }

    static String html(byte[] raw) throws Exception {
        MimeMessage m = new MimeMessage(jakarta.mail.Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        return find(m);
    }

    private static String find(Part p) throws Exception {
        if (p.isMimeType("text/html")) {
            return (String) p.getContent();
        }
        if (p.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart b = mp.getBodyPart(i);
                String h = find(b);
                if (h != null) {
                    return h;
                }
            }
        }
        return null;
    }
}
