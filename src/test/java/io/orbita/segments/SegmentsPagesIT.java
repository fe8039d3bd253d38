package io.orbita.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The segment pages render in both languages without missing texts, and the preview counts and reports bad rules. */
class SegmentsPagesIT extends OrbitaIT {

    @ParameterizedTest
    @ValueSource(strings = {"ru", "en"})
    void pagesRenderAndThePreviewCounts(String lang) {
        TestWorkspace ws = newWorkspace();
        long contact = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "p@seg.ru", "type", "partner", "tags", List.of("vip")))
                .body().get("id").asLong();
        long segment = post("/api/v1/segments", ws.apiKey(), json.readTree("{\"name\":\"VIP <b>\",\"rule\":{\"type\":\"field\",\"field\":\"tags\",\"op\":\"has\",\"value\":\"vip\"}}"))
                .body().get("id").asLong();
        long list = post("/api/v1/lists", ws.apiKey(), Map.of("name", "Список")).body().get("id").asLong();
        post("/api/v1/lists/" + list + "/members", ws.apiKey(), Map.of("contactIds", List.of(contact)));
        long builtIn = get("/api/v1/segments?limit=100", ws.apiKey()).body().get("items").valueStream()
                .filter(s -> "type_partner".equals(s.path("builtIn").asString(null))).findFirst().orElseThrow().get("id").asLong();
        Session s = login(ws.ownerEmail(), ws.ownerPassword());
        s.get("/?lang=" + lang);
        for (String page : List.of("/segments", "/segments/new", "/segments/" + segment, "/segments/" + builtIn, "/lists/" + list)) {
            var r = s.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.body()).as(page + " in " + lang).doesNotContain("??").doesNotContain("VIP <b>").contains("<html lang=\"" + lang + "\"");
        }
        assertThat(s.get("/segments").body()).contains(lang.equals("ru") ? "Партнёры" : "Partners").contains("VIP &lt;b&gt;");
        assertThat(s.get("/segments/" + segment).body()).contains("SQL");
        assertThat(s.get("/lists/" + list).body()).contains("p@seg.ru");
        assertThat(s.get("/contacts/" + contact).body()).as("contact card").contains("VIP &lt;b&gt;").contains("Список");

        var preview = s.post("/segments/preview", Map.of("rule", "{\"type\":\"and\",\"rules\":[{\"type\":\"field\",\"field\":\"contactType\",\"op\":\"eq\",\"value\":\"partner\"}]}"));
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("id=\"live-count\">1<").contains("p@seg.ru");
        var bad = s.post("/segments/preview", Map.of("rule", "{\"type\":\"and\",\"rules\":[{\"type\":\"field\",\"field\":\"nope\",\"op\":\"eq\"}]}"));
        assertThat(bad.body()).contains("rule.rules[0].field");

        var saved = s.post("/segments/new", Map.of("name", "Партнёры из UI", "rule", "{\"type\":\"field\",\"field\":\"contactType\",\"op\":\"eq\",\"value\":\"partner\"}"));
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(s.get(saved.headers().firstValue("Location").orElseThrow().replaceFirst("^https?://[^/]+", "")).body()).contains("Партнёры из UI");
    }
}
