package io.orbita.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import io.orbita.platform.WorkspaceId;
import io.orbita.tracking.internal.Hit;
import io.orbita.tracking.internal.HitWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Opens, clicks, unsubscribes and the preference centre over real HTTP, as a mail client and a recipient use them. */
class TrackingIT extends OrbitaIT {

    private static final AtomicLong MESSAGES = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    @Autowired
    TrackedLetters letters;
    @Autowired
    Engagement engagement;
    @Autowired
    Preferences preferences;
    @Autowired
    HitWriter writer;
    @Autowired
    JdbcClient jdbc;

    record Letter(TestWorkspace ws, long contactId, long messageId, String html, TrackedLetters.Links links) {
    }

    /** A contact, and a letter to it as the sender would build it, sent an hour ago (so clicks are not "too soon"). */
    Letter letter(String kind) {
        TestWorkspace ws = newWorkspace();
        String email = "reader-" + UUID.randomUUID().toString().substring(0, 8) + "@client.example";
        var created = api("POST", "/api/v1/contacts", ws.apiKey(), Map.of("email", email, "firstName", "Иван"));
        assertThat(created.status()).isEqualTo(201);
        long contactId = created.body().get("id").asLong();
        long messageId = MESSAGES.incrementAndGet();
        TrackedLetters.Links links = letters.linksFor(ws.id(), messageId, contactId, email, kind);
        String html = "<html><body><p>Здравствуйте!</p><a href=\"https://shop.example/catalog?a=1&amp;b=2\">Каталог</a> "
                + "<a href=\"https://shop.example/sale\">Скидки</a> <a href=\"mailto:sales@shop.example\">Почта</a> "
                + "<a href=\"" + links.unsubscribe() + "\">Отписаться</a></body></html>";
        String instrumented = letters.instrument(ws.id(), messageId, contactId, Instant.now().minus(Duration.ofHours(1)), html);
        return new Letter(ws, contactId, messageId, instrumented, links);
    }

    static List<String> clickPaths(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("href=\"https?://[^/]+(/t/c/[^\"]+)\"").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static String path(String url) {
        return URI.create(url).getRawPath();
    }

    HttpResponse<byte[]> send(String method, String path, String userAgent, String language, String formBody) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)));
            if (userAgent != null) {
                b.header("User-Agent", userAgent);
            }
            if (language != null) {
                b.header("Accept-Language", language);
            }
            if (formBody != null) {
                b.header("Content-Type", "application/x-www-form-urlencoded")
                        .method(method, HttpRequest.BodyPublishers.ofString(formBody, StandardCharsets.UTF_8));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    List<Map<String, Object>> hits(WorkspaceId ws, long messageId) {
        return jdbc.sql("select kind, url, machine, machine_reason, user_agent, ip_network from tracking_event "
                        + "where workspace_id = ? and message_id = ? order by id")
                .params(ws.value(), messageId).query().listOfRows();
    }

    @Test
    void theOpenPixelIsATransparentGifAndTheOpenIsRecorded() {
        Letter l = letter("news");
        Matcher m = Pattern.compile("src=\"https?://[^/]+(/t/o/[^\"]+)\"").matcher(l.html());
        assertThat(m.find()).isTrue();

        HttpResponse<byte[]> r = send("GET", m.group(1), BROWSER, null, null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("image/gif");
        assertThat(r.body()).hasSize(43);
        assertThat(new String(r.body(), 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        // Written in batches by the writer thread, so visible shortly after the answer.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Engagement.Summary s = engagement.summary(l.ws().id(), l.messageId());
            assertThat(s.human()).isEqualTo(new Engagement.Figures(1, 1, 0, 0));
        });
        assertThat(hits(l.ws().id(), l.messageId()).getFirst())
                .containsEntry("ip_network", "127.0.0.0/24").containsEntry("user_agent", BROWSER);
        assertThat(engagement.lastEngagedAt(l.ws().id(), l.contactId())).isPresent();

        // Apple's privacy proxy: recorded and flagged, not counted as a human open.
        send("GET", m.group(1), "Mozilla/5.0", null, null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Engagement.Summary s = engagement.summary(l.ws().id(), l.messageId());
            assertThat(s.all().totalOpens()).isEqualTo(2);
            assertThat(s.human().totalOpens()).isEqualTo(1);
        });
    }

    @Test
    void aSignedClickRedirectsToItsUrlAndATamperedOneGetsAnErrorPageWithoutRedirect() {
        Letter l = letter("promo");
        List<String> clicks = clickPaths(l.html());
        assertThat(clicks).hasSize(2);
        assertThat(l.html()).contains("href=\"mailto:sales@shop.example\"", "href=\"" + l.links().unsubscribe() + "\"");

        HttpResponse<byte[]> r = send("GET", clicks.get(0), BROWSER, null, null);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains("https://shop.example/catalog?a=1&b=2");

        String token = clicks.get(0).substring("/t/c/".length());
        String value = token.substring(0, token.lastIndexOf('.'));
        String[] f = value.split("\\.");
        f[4] = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("https://evil.example/".getBytes());
        String forged = "/t/c/" + String.join(".", f) + token.substring(token.lastIndexOf('.'));
        for (String bad : List.of(forged, "/t/c/" + token.substring(0, token.length() - 4), "/t/c/made-up")) {
            HttpResponse<byte[]> refused = send("GET", bad, BROWSER, "en", null);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Location")).isEmpty();
            assertThat(text(refused)).contains("This link is not valid").doesNotContain("evil.example");
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                engagement.clicksByUrl(l.ws().id(), List.of(l.messageId()), false))
                .containsExactly(new Engagement.LinkClicks("https://shop.example/catalog?a=1&b=2", 1, 1)));
        Engagement.Summary s = engagement.summary(l.ws().id(), List.of(l.messageId()));
        assertThat(s.human()).as("a click counts as an open too").isEqualTo(new Engagement.Figures(1, 0, 1, 1));
        assertThat(engagement.hourly(l.ws().id(), List.of(l.messageId()), Instant.now().minus(Duration.ofHours(2)),
                Instant.now().plus(Duration.ofHours(1)), false))
                .extracting(Engagement.Bucket::kind, Engagement.Bucket::hits).containsExactly(org.assertj.core.groups.Tuple.tuple("click", 1L));
    }

    @Test
    void headRequestsAndScannersAreRecordedButFlagged() {
        Letter l = letter("news");
        String click = clickPaths(l.html()).getFirst();

        assertThat(send("HEAD", click, BROWSER, null, null).statusCode()).isEqualTo(302);
        assertThat(send("GET", click, "Mozilla/5.0 (compatible; Barracuda Sentinel)", null, null).statusCode()).isEqualTo(302);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hits(l.ws().id(), l.messageId()))
                .extracting(h -> h.get("machine_reason"))
                .containsExactlyInAnyOrder("head_request", "scanner:barracuda"));
        Engagement.Summary s = engagement.summary(l.ws().id(), l.messageId());
        assertThat(s.human().totalClicks()).isZero();
        assertThat(s.all().totalClicks()).isEqualTo(2);

        // The Tracking page says who made them; another workspace sees none of it.
        var page = login(l.ws().ownerEmail(), l.ws().ownerPassword()).get("/tracking?lang=en");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Tracking host", "HEAD request", "Barracuda scanner", "is not https");
        var ru = login(l.ws().ownerEmail(), l.ws().ownerPassword()).get("/tracking?lang=ru");
        assertThat(ru.body()).contains("Адрес отслеживания", "HEAD-запрос", "сканер Barracuda").doesNotContain("??");
        var card = login(l.ws().ownerEmail(), l.ws().ownerPassword()).get("/contacts/" + l.contactId() + "?lang=ru");
        assertThat(card.body()).contains("Рассылки").doesNotContain("??");
        TestWorkspace other = newWorkspace();
        assertThat(login(other.ownerEmail(), other.ownerPassword()).get("/tracking?lang=en").body())
                .doesNotContain("Barracuda scanner").contains("No opens or clicks in this period yet");
    }

    @Test
    void severalLinksOfOneMessageClickedInTheSameSecondAreAScanner() {
        Letter l = letter("news");
        for (String click : clickPaths(l.html())) {
            assertThat(send("GET", click, BROWSER, null, null).statusCode()).isEqualTo(302);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hits(l.ws().id(), l.messageId()))
                .hasSize(2)
                .allSatisfy(h -> assertThat(h).containsEntry("machine", true).containsEntry("machine_reason", "burst")));
    }

    @Test
    void theUnsubscribePageAsksAndItsButtonUnsubscribesWithAnEntryInTheConsentHistory() {
        Letter l = letter("promo");
        String page = path(l.links().unsubscribe());

        HttpResponse<byte[]> en = send("GET", page, BROWSER, "en-US,en;q=0.9", null);
        assertThat(en.statusCode()).isEqualTo(200);
        assertThat(text(en)).contains("Unsubscribe from Workspace ").contains(" letters?").contains("method=\"post\"");
        HttpResponse<byte[]> ru = send("GET", page, BROWSER, "ru-RU,ru;q=0.9", null);
        assertThat(text(ru)).contains("Отписаться от писем Workspace ").doesNotContain("??");
        // Looking at the page changes nothing: link scanners open every link.
        assertThat(consent(l)).isEqualTo("subscribed");

        HttpResponse<byte[]> done = send("POST", page, BROWSER, "en", "confirm=yes");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(text(done)).contains("You are unsubscribed");
        assertThat(consent(l)).isEqualTo("unsubscribed");
        JsonNode last = api("GET", "/api/v1/contacts/" + l.contactId() + "/consent-history", l.ws().apiKey(), null).body().get(0);
        assertThat(last.get("status").asString()).isEqualTo("unsubscribed");
        assertThat(last.get("method").asString()).isEqualTo("unsubscribe_link");
        assertThat(last.get("source").asString()).isEqualTo(Long.toString(l.messageId()));

        assertThat(text(send("GET", page, BROWSER, "en", null))).contains("already unsubscribed");
        assertThat(send("GET", page.substring(0, page.length() - 3), BROWSER, "en", null).statusCode()).isEqualTo(400);
    }

    @Test
    void theRfc8058OneClickPostUnsubscribesAtOnceWithNoPage() {
        Letter l = letter("news");
        HttpResponse<byte[]> r = send("POST", path(l.links().oneClickUnsubscribe()), "Mail client", null,
                "List-Unsubscribe=One-Click");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(consent(l)).isEqualTo("unsubscribed");
        JsonNode last = api("GET", "/api/v1/contacts/" + l.contactId() + "/consent-history", l.ws().apiKey(), null).body().get(0);
        assertThat(last.get("method").asString()).isEqualTo("one_click");
        // A retry by the mail client is harmless and adds no second history entry.
        assertThat(send("POST", path(l.links().oneClickUnsubscribe()), "Mail client", null, "List-Unsubscribe=One-Click")
                .statusCode()).isEqualTo(200);
        assertThat(api("GET", "/api/v1/contacts/" + l.contactId() + "/consent-history", l.ws().apiKey(), null).body().size())
                .isEqualTo(2);
    }

    @Test
    void theOneClickPostMayComeAsMultipartFormData() throws Exception {
        Letter l = letter("news");
        String boundary = "----orbita" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--"
                + boundary + "--\r\n";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(path(l.links().oneClickUnsubscribe()))))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(consent(l)).isEqualTo("unsubscribed");
    }

    @Test
    void aLetterToABareAddressUnsubscribesTheContactWithThatAddress() {
        Letter l = letter("news");
        String email = api("GET", "/api/v1/contacts/" + l.contactId(), l.ws().apiKey(), null).body().get("email").asString();
        TrackedLetters.Links bare = letters.linksFor(l.ws().id(), l.messageId() + 1, null, email.toUpperCase(), "news");

        String shown = text(send("GET", path(bare.preferences()), BROWSER, "en", null));
        assertThat(shown).contains("Company news", "Unsubscribe from all");
        assertThat(send("POST", path(bare.oneClickUnsubscribe()), "Mail client", null, "List-Unsubscribe=One-Click")
                .statusCode()).isEqualTo(200);
        assertThat(consent(l)).isEqualTo("unsubscribed");

        // An address that is no contact: nothing to change, and still a plain answer rather than an error.
        TrackedLetters.Links stranger = letters.linksFor(l.ws().id(), l.messageId() + 2, null, "nobody@nowhere.example", "news");
        assertThat(send("POST", path(stranger.unsubscribe()), BROWSER, "en", "confirm=yes").statusCode()).isEqualTo(200);
        String prefs = text(send("GET", path(stranger.preferences()), BROWSER, "en", null));
        assertThat(prefs).contains("Unsubscribe from all").doesNotContain("Company news");
    }

    @Test
    void thePreferenceCentreKeepsSomeKindsDropsOthersAndCanUnsubscribeFromAll() {
        Letter l = letter("promo");
        String page = path(l.links().preferences());
        HttpResponse<byte[]> shown = send("GET", page, BROWSER, "ru", null);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(text(shown)).contains("Новости компании", "Предложения и акции", "Отписаться от всех").doesNotContain("??");

        HttpResponse<byte[]> saved = send("POST", page, BROWSER, "en", "keep=news&keep=event");
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(text(saved)).contains("Your choice is saved");
        WorkspaceId ws = l.ws().id();
        assertThat(preferences.allows(ws, l.contactId(), "news")).isTrue();
        assertThat(preferences.allows(ws, l.contactId(), "promo")).isFalse();
        assertThat(preferences.allows(ws, l.contactId(), "service")).isTrue();
        assertThat(preferences.optedOut(ws, List.of(l.contactId(), l.contactId() + 1_000_000), "content")).containsExactly(l.contactId());
        assertThat(preferences.optedOut(ws, List.of(l.contactId()), "event")).isEmpty();
        assertThat(consent(l)).isEqualTo("subscribed");

        assertThat(send("POST", page, BROWSER, "en", "unsubscribeAll=yes").statusCode()).isEqualTo(200);
        assertThat(consent(l)).isEqualTo("unsubscribed");
        JsonNode history = api("GET", "/api/v1/contacts/" + l.contactId() + "/consent-history", l.ws().apiKey(), null).body();
        assertThat(history.get(0).get("method").asString()).isEqualTo("preference_centre");

        // Ticking a kind again is the explicit way back in.
        send("POST", page, BROWSER, "en", "keep=news");
        assertThat(consent(l)).isEqualTo("subscribed");
        assertThat(preferences.allows(ws, l.contactId(), "event")).isFalse();
    }

    @Test
    void marketersSeeAndSetPreferencesThroughTheApiAndOnTheContactCard() {
        Letter l = letter("promo");
        send("POST", path(l.links().preferences()), BROWSER, "en", "keep=news&keep=event");
        String prefs = "/api/v1/contacts/" + l.contactId() + "/mailing-preferences";

        JsonNode view = api("GET", prefs, l.ws().apiKey(), null).body();
        assertThat(view.get("dropped").toString()).isEqualTo("[\"content\",\"promo\"]");
        assertThat(view.get("kept").toString()).isEqualTo("[\"news\",\"event\"]");

        var bad = api("PUT", prefs, l.ws().apiKey(), Map.of("dropped", List.of("spam"), "droped", List.of()));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().toString()).contains("unknown mailing kind 'spam'", "unknown field 'droped'");
        var put = api("PUT", prefs, l.ws().apiKey(), Map.of("dropped", List.of("promo")));
        assertThat(put.status()).isEqualTo(200);
        assertThat(preferences.allows(l.ws().id(), l.contactId(), "content")).isTrue();
        assertThat(preferences.allows(l.ws().id(), l.contactId(), "promo")).isFalse();

        // A human open shows on the card's timeline and as the last engagement.
        Matcher m = Pattern.compile("src=\"https?://[^/]+(/t/o/[^\"]+)\"").matcher(l.html());
        assertThat(m.find()).isTrue();
        send("GET", m.group(1), BROWSER, null, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> engagement.lastEngagedAt(l.ws().id(), l.contactId()).isPresent());
        String card = login(l.ws().ownerEmail(), l.ws().ownerPassword()).get("/contacts/" + l.contactId() + "?lang=en").body();
        assertThat(card).contains("Mailings", "Offers and promotions", "Last opened or clicked a letter on", "Opened a letter");
    }

    @Test
    void stoppingTheWriterStoresEveryQueuedHitBeforeItReturns() {
        WorkspaceId ws = newWorkspace().id();
        long messageId = MESSAGES.incrementAndGet();
        int n = 1_200;
        try {
            for (int i = 0; i < n; i++) {
                writer.record(new Hit(ws, messageId, null, Hit.OPEN, null, Instant.now(), BROWSER, null, false, null, null));
            }
            writer.stop();
            // No waiting: stop() returned, so everything that was queued is in the database.
            assertThat(engagement.summary(ws, messageId).all().totalOpens()).isEqualTo(n);
        } finally {
            writer.start();
        }
    }

    String consent(Letter l) {
        return api("GET", "/api/v1/contacts/" + l.contactId(), l.ws().apiKey(), null).body().get("consentStatus").asString();
    }
}
