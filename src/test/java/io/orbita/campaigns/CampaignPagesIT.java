package io.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import io.orbita.tracking.TrackedLetters;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The campaign pages in Russian and English: list, form, checklist, sending, progress and the report with its chart. */
class CampaignPagesIT extends OrbitaIT {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    TrackedLetters letters;

    @ParameterizedTest
    @ValueSource(strings = {"ru", "en"})
    void aMarketerCreatesChecksSendsAndReadsTheReport(String lang) throws Exception {
        TestWorkspace ws = newWorkspace();
        long contact = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "page-" + lang + "@romashka.ru", "firstName", "Анна"))
                .body().get("id").asLong();
        long list = post("/api/v1/lists", ws.apiKey(), Map.of("name", "Клиенты " + lang)).body().get("id").asLong();
        post("/api/v1/lists/" + list + "/members", ws.apiKey(), Map.of("contactIds", List.of(contact)));
        long template = post("/api/v1/templates", ws.apiKey(), Map.of("name", "Шаблон", "kind", "news",
                "subject", "Здравствуйте, {{ contact.first_name }}", "html", "<p>Привет {{ contact.no_such_field }}</p>"))
                .body().get("id").asLong();

        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        s.get("/?lang=" + lang);
        HttpResponse<String> created = s.post("/campaigns/new", Map.of("name", "Осенняя <рассылка>", "kind", "news",
                "segmentIds", Long.toString(list), "templateId", Long.toString(template), "fromEmail", "news@unknown-domain.example"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        String location = created.headers().firstValue("Location").orElseThrow();
        long id = Long.parseLong(location.replaceAll(".*/campaigns/(\\d+).*", "$1"));

        for (String page : List.of("/campaigns", "/campaigns/new", "/campaigns/" + id, "/campaigns/" + id + "/edit",
                "/campaigns/" + id + "/progress")) {
            HttpResponse<String> r = s.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.body()).as(page + " in " + lang).doesNotContain("??").doesNotContain("<рассылка>");
            if (!page.endsWith("/progress")) {
                assertThat(r.body()).contains("<html lang=\"" + lang + "\"");
            }
        }
        // The checklist warns: unknown domain, no unsubscribe link, an unknown variable, no test letter yet.
        String page = s.get("/campaigns/" + id).body();
        assertThat(page).contains("Осенняя &lt;рассылка&gt;", lang.equals("ru") ? "нет ссылки отписки" : "no unsubscribe link",
                lang.equals("ru") ? "Тестовое письмо ещё не отправлялось" : "No test letter sent yet");
        assertThat(s.post("/campaigns/" + id + "/test", Map.of()).statusCode()).isEqualTo(302);
        assertThat(s.get("/campaigns/" + id).body()).contains(lang.equals("ru") ? "Тестовое письмо отправлено" : "A test letter was sent");

        assertThat(s.post("/campaigns/" + id + "/send", Map.of("at", "")).statusCode()).isEqualTo(302);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get("/api/v1/campaigns/" + id, ws.apiKey()).body().get("state").asString()).isEqualTo("sent"));
        long message = jdbc.sql("select message_id from campaign_recipient where workspace_id = ? and campaign_id = ?")
                .params(ws.id().value(), id).query(Long.class).single();
        String html = letters.instrument(ws.id(), message, contact, Instant.now().minus(Duration.ofHours(1)),
                "<html><body><a href=\"https://romashka.ru/sale\">sale</a></body></html>");
        Matcher m = Pattern.compile("\"https?://[^/]+(/t/c/[^\"]+)\"").matcher(html);
        assertThat(m.find()).isTrue();
        http.send(HttpRequest.newBuilder(URI.create(url(m.group(1))))
                .header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
                .build(), HttpResponse.BodyHandlers.discarding());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String report = s.get("/campaigns/" + id).body();
            assertThat(report).doesNotContain("??").contains("id=\"chart\"", "<polyline", "https://romashka.ru/sale", "id=\"open-rate\"");
            assertThat(report).contains(lang.equals("ru") ? "Отчёт" : "Report");
        });
        assertThat(s.get("/campaigns/" + id + "?machine=true").statusCode()).isEqualTo(200);

        // An A/B campaign decided at once, with no opens at all: no significant winner, the default goes.
        long ab = post("/api/v1/campaigns", ws.apiKey(), Map.of("name", "A/B " + lang, "kind", "news", "segmentIds", List.of(list),
                "templateId", template, "fromEmail", "news@romashka.ru",
                "abTest", Map.of("subjects", List.of("Один", "Два"), "share", 90, "waitMinutes", 0, "defaultVariant", 2)))
                .body().get("id").asLong();
        post("/api/v1/campaigns/" + ab + "/send", ws.apiKey(), null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get("/api/v1/campaigns/" + ab, ws.apiKey()).body().get("state").asString()).isEqualTo("sent"));
        String abPage = s.get("/campaigns/" + ab).body();
        assertThat(abPage).doesNotContain("??").contains("id=\"variants\"", "Один", "Два",
                lang.equals("ru") ? "Значимого победителя нет: остальным ушёл вариант по умолчанию 2" : "No significant winner: the default variant 2");
    }
}
