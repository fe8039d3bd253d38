package io.orbita.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The content pages render in both languages with every text translated, and the forms work without JavaScript. */
class ContentPagesIT extends OrbitaIT {

    @ParameterizedTest
    @ValueSource(strings = {"ru", "en"})
    void everyContentPageRendersTranslated(String lang) {
        var ws = newWorkspace();
        long layout = post("/api/v1/layouts", ws.apiKey(), Map.of("name", "Бренд", "html", "<div>{{ content }}</div>")).body().get("id").asLong();
        long snippet = post("/api/v1/snippets", ws.apiKey(), Map.of("name", "sign", "body", "<p>{{ manager.name }}</p>")).body().get("id").asLong();
        long template = post("/api/v1/templates", ws.apiKey(), Map.of("name", "Письмо", "kind", "news", "scenario", "welcome",
                "subject", "Тема", "html", "<p>x</p>", "layoutId", layout)).body().get("id").asLong();
        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        s.get("/?lang=" + lang);
        for (String page : List.of("/templates", "/templates/new", "/templates/" + template, "/templates/library",
                "/templates/library?language=en", "/templates/library/nps?language=" + lang, "/layouts", "/layouts/" + layout,
                "/snippets", "/snippets/" + snippet)) {
            var r = s.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.body()).as(page + " in " + lang).doesNotContain("??").contains("<html lang=\"" + lang + "\"");
        }
        assertThat(s.get("/").body()).contains("href=\"/templates\"").doesNotContain("/soon/content");
    }

    @Test
    void editorSavesVersionsShowsErrorsAndPreviews() {
        var ws = newWorkspace();
        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        s.get("/?lang=ru");
        Map<String, String> form = new LinkedHashMap<>(Map.of("name", "Реактивация", "kind", "content", "scenario", "reactivation",
                "subject", "{{ contact.name }}, давно не общались", "preheader", "", "layoutId", "", "text", "",
                "html", "<p>{% if contact.name %}Привет{% endif %}</p>"));
        var created = s.post("/templates", form);
        assertThat(created.statusCode()).isEqualTo(302);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches(".*/templates/\\d+$");
        String editor = s.get(location.replaceFirst("^https?://[^/]+", "")).body();
        assertThat(editor).contains("Реактивация", "Сохранённые версии");
        // The delivery module provides the endpoint, so the saved template offers a test send.
        assertThat(editor).contains("/test-send\"", "name=\"testEmail\"");

        form.put("html", "<p>один</p>\n<p>{% if contact.name %}два</p>");
        var broken = s.post(location.replaceFirst("^https?://[^/]+", ""), form);
        assertThat(broken.statusCode()).isEqualTo(200);
        assertThat(broken.body()).contains("Ошибка Liquid в строке 2");

        var preview = s.post("/templates/preview", Map.of("subject", "Для {{ contact.name }}", "html",
                "<p>{{ contact.position }} {{ contact.nosuch }}</p><script>alert(1)</script>", "width", "mobile"));
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("Для Иван", "unknown variable contact.nosuch", "sandbox", "letter-frame mobile")
                .contains("srcdoc=\"").doesNotContain("<script>alert(1)</script>");

        var byEmail = s.post("/templates/preview", Map.of("subject", "x", "html", "<p>x</p>", "contactEmail", "nobody@nowhere.ru"));
        assertThat(byEmail.body()).contains("Такого контакта нет");

        assertThat(s.get("/templates/library").body()).contains("Иван, ваш заказ почти готов").doesNotContain("{{ contact.name");

        var used = s.post("/templates/library/abandoned_cart/use?language=ru", Map.of());
        assertThat(used.statusCode()).isEqualTo(302);
        assertThat(get("/api/v1/templates?scenario=abandoned_cart", ws.apiKey()).body().get("items").get(0).get("libraryCode").asString())
                .isEqualTo("abandoned_cart");
    }
}
