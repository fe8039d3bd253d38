package io.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orbita.OrbitaIT;
import io.orbita.tracking.TrackedLetters;
import io.orbita.workspace.Role;
import io.orbita.workspace.internal.UserAccounts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The campaign pages in Russian and English: list, form (with its A/B section), checklist, sending, progress, the report
 * with its chart, and the workspace's campaign settings.
 */
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

    @ParameterizedTest
    @ValueSource(strings = {"ru", "en"})
    void theFormSavesShowsAndRemovesAnAbTestAndRefusesABadOneWithItsMessages(String lang) {
        TestWorkspace ws = newWorkspace();
        long list = post("/api/v1/lists", ws.apiKey(), Map.of("name", "A/B " + lang)).body().get("id").asLong();
        long first = template(ws, "Первый");
        long second = template(ws, "Второй");
        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        s.get("/?lang=" + lang);
        assertThat(s.get("/campaigns/new").body()).contains("id=\"ab-test\"", "name=\"abVariants[4]\"", "name=\"abTemplates[0]\"");

        // Rows 1 and 3 filled, row 3 the default: it is variant 2 of the two saved; the wait is read in hours.
        Map<String, String> form = campaign(list, first, "С тестом");
        form.putAll(Map.of("ab", "on", "abKind", "subject", "abVariants[0]", "Осенние новости", "abVariants[1]", " ",
                "abVariants[2]", "Новое для {{ contact.first_name }}", "abShare", "30", "abMetric", "click_rate",
                "abWait", "2", "abWaitUnit", "hours", "abDefault", "3"));
        HttpResponse<String> created = s.post("/campaigns/new", form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        long id = Long.parseLong(created.headers().firstValue("Location").orElseThrow().replaceAll(".*/campaigns/(\\d+).*", "$1"));
        var ab = get("/api/v1/campaigns/" + id, ws.apiKey()).body().get("abTest");
        assertThat(ab.get("kind").asString()).isEqualTo("subject");
        assertThat(ab.get("subjects").toString()).isEqualTo("[\"Осенние новости\",\"Новое для {{ contact.first_name }}\"]");
        assertThat(ab.get("share").asInt()).isEqualTo(30);
        assertThat(ab.get("metric").asString()).isEqualTo("click_rate");
        assertThat(ab.get("waitMinutes").asInt()).isEqualTo(120);
        assertThat(ab.get("defaultVariant").asInt()).isEqualTo(2);

        // The edit form shows the saved test.
        String edit = s.get("/campaigns/" + id + "/edit").body();
        assertThat(edit).doesNotContain("??").contains("value=\"Осенние новости\"", "value=\"Новое для {{ contact.first_name }}\"",
                "value=\"30\"", "value=\"2\"");
        assertThat(edit).containsPattern("id=\"ab\" name=\"ab\" value=\"on\" checked");
        assertThat(edit).containsPattern("<option value=\"click_rate\" selected");

        // Content as the variant: templates chosen from the selects.
        Map<String, String> templates = campaign(list, first, "С тестом");
        templates.putAll(Map.of("ab", "on", "abKind", "template", "abTemplates[0]", Long.toString(first),
                "abTemplates[1]", Long.toString(second), "abShare", "20", "abMetric", "revenue", "abWait", "90",
                "abWaitUnit", "minutes", "abDefault", "1"));
        assertThat(s.post("/campaigns/" + id + "/edit", templates).statusCode()).isEqualTo(302);
        ab = get("/api/v1/campaigns/" + id, ws.apiKey()).body().get("abTest");
        assertThat(ab.get("kind").asString()).isEqualTo("template");
        assertThat(ab.get("subjects").toString()).isEqualTo("[\"" + first + "\",\"" + second + "\"]");
        assertThat(ab.get("waitMinutes").asInt()).isEqualTo(90);
        assertThat(s.get("/campaigns/" + id + "/edit").body()).containsPattern("<option value=\"" + second + "\" selected");

        // A bad test comes back with every problem by field, in the user's language, keeping what was typed.
        Map<String, String> bad = campaign(list, first, "");
        bad.putAll(Map.of("ab", "on", "abKind", "send_time", "abVariants[0]", "25:00", "abVariants[1]", "10:00",
                "abShare", "95", "abMetric", "open_rate", "abWait", "часа", "abWaitUnit", "hours", "abDefault", "5"));
        HttpResponse<String> refused = s.post("/campaigns/" + id + "/edit", bad);
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.body()).doesNotContain("??").contains("id=\"form-errors\"", "abTest.variants", "abTest.share",
                "abTest.waitMinutes", "abTest.defaultVariant", "<code>name</code>", "value=\"25:00\"", "value=\"95\"", "value=\"часа\"",
                lang.equals("ru") ? "Доля — целое число от 2 до 90 процентов." : "The share must be a whole number from 2 to 90 percent.",
                lang.equals("ru") ? "Варианты времени отправки — местное время ЧЧ:ММ" : "Send time variants are local times HH:MM");
        assertThat(get("/api/v1/campaigns/" + id, ws.apiKey()).body().get("abTest").get("kind").asString()).isEqualTo("template");

        // Unticked on an edit: the saved test is removed.
        assertThat(s.post("/campaigns/" + id + "/edit", campaign(list, first, "Без теста")).statusCode()).isEqualTo(302);
        var after = get("/api/v1/campaigns/" + id, ws.apiKey()).body();
        assertThat(after.get("name").asString()).isEqualTo("Без теста");
        assertThat(after.has("abTest")).isFalse();
    }

    @Test
    void adminsChangeTheCampaignSettingsOnTheirPageAndOthersCannot() {
        TestWorkspace ws = newWorkspace();
        Session admin = login(ws.ownerEmail(), ws.ownerPassword());
        admin.get("/?lang=ru");
        assertThat(admin.get("/campaigns").body()).contains("id=\"campaign-settings\"", "Настройки рассылок");
        HttpResponse<String> page = admin.get("/campaigns/settings");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("??").contains("name=\"weeklyCap\"", "value=\"3\"", "value=\"7\"");

        HttpResponse<String> saved = admin.post("/campaigns/settings",
                Map.of("weeklyCap", "5", "attributionDays", "14", "quietHours", "22:00-08:00"));
        assertThat(saved.statusCode()).isEqualTo(302);
        var settings = get("/api/v1/campaign-settings", ws.apiKey()).body();
        assertThat(settings.get("weeklyCap").asInt()).isEqualTo(5);
        assertThat(settings.get("attributionDays").asInt()).isEqualTo(14);
        assertThat(settings.get("quietHours").asString()).isEqualTo("22:00-08:00");
        assertThat(admin.get("/campaigns/settings").body()).contains("value=\"22:00-08:00\"", "value=\"14\"");

        HttpResponse<String> refused = admin.post("/campaigns/settings",
                Map.of("weeklyCap", "много", "attributionDays", "120", "quietHours", "поздно"));
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.body()).contains("value=\"много\"", "value=\"поздно\"",
                "Ограничение в неделю — целое число от 0 (без ограничения) до 100.",
                "Окно атрибуции — целое число дней от 1 до 90.", "Укажите время как ЧЧ:ММ-ЧЧ:ММ");
        // Nothing of a refused form is saved; empty quiet hours remove them.
        assertThat(get("/api/v1/campaign-settings", ws.apiKey()).body().get("weeklyCap").asInt()).isEqualTo(5);
        assertThat(admin.post("/campaigns/settings", Map.of("weeklyCap", "0", "attributionDays", "7", "quietHours", ""))
                .statusCode()).isEqualTo(302);
        assertThat(get("/api/v1/campaign-settings", ws.apiKey()).body().has("quietHours")).isFalse();

        String marketerEmail = "marketer-" + ws.id() + "@orbita.test";
        accounts.addMember(ws.owner(), new UserAccounts.NewMember(marketerEmail, "Marketer", null, null, Role.MARKETER,
                "marketer-password-1"));
        Session marketer = login(marketerEmail, "marketer-password-1");
        assertThat(marketer.get("/campaigns").body()).doesNotContain("id=\"campaign-settings\"");
        assertThat(marketer.get("/campaigns/settings").statusCode()).isEqualTo(403);
        assertThat(marketer.post("/campaigns/settings", Map.of("weeklyCap", "50", "attributionDays", "7", "quietHours", ""))
                .statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/campaign-settings", ws.apiKey()).body().get("weeklyCap").asInt()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ru", "en"})
    void theDkimCheckTellsAnUnregisteredFromAnUnverifiedFromAVerifiedDomain(String lang) {
        TestWorkspace ws = newWorkspace();
        String domain = "dkim-" + lang + "-" + ws.id().value() + ".example";
        long list = post("/api/v1/lists", ws.apiKey(), Map.of("name", "DKIM")).body().get("id").asLong();
        long id = post("/api/v1/campaigns", ws.apiKey(), Map.of("name", "DKIM", "kind", "news", "segmentIds", List.of(list),
                "templateId", template(ws, "DKIM"), "fromEmail", "news@" + domain.toUpperCase(java.util.Locale.ROOT)))
                .body().get("id").asLong();
        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        s.get("/?lang=" + lang);

        assertThat(checklist(s, id)).contains(lang.equals("ru") ? "Домен отправителя не зарегистрирован" : "is not registered", domain);

        long domainId = post("/api/v1/sending-domains", ws.apiKey(), Map.of("domain", domain)).body().get("id").asLong();
        assertThat(checklist(s, id)).contains(lang.equals("ru") ? "зарегистрирован, но его запись DKIM ещё не подтверждена"
                : "is registered, but its DKIM record is not verified", domain);

        // What a DNS check that found the DKIM records leaves behind (the tests' DNS server answers nothing).
        jdbc.sql("update sending_domain set verified = true, checked_at = now() where workspace_id = ? and id = ?")
                .params(ws.id().value(), domainId).update();
        assertThat(checklist(s, id)).contains("<li class=\"ok\">",
                lang.equals("ru") ? "запись DKIM подтверждена в DNS" : "its DKIM record is verified in DNS");
    }

    private static String checklist(Session s, long id) {
        String page = s.get("/campaigns/" + id).body();
        assertThat(page).doesNotContain("??");
        Matcher m = Pattern.compile("(?s)<ul class=\"checklist\">\\s*<li[^>]*>.*?</li>").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return m.group();
    }

    private long template(TestWorkspace ws, String name) {
        return post("/api/v1/templates", ws.apiKey(), Map.of("name", name, "kind", "news", "subject", "Тема " + name,
                "html", "<p>" + name + "</p>")).body().get("id").asLong();
    }

    private static Map<String, String> campaign(long list, long template, String name) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("kind", "news");
        form.put("segmentIds", Long.toString(list));
        form.put("templateId", Long.toString(template));
        form.put("fromEmail", "news@romashka.ru");
        return form;
    }
}
