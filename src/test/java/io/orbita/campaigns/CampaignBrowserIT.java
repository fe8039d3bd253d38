package io.orbita.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.delivery.internal.CapturedMail;
import io.orbita.tracking.TrackedLetters;
import io.orbita.web.BrowserTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A marketer in a real Chromium: creates a campaign, sends it (to the capture server), reads its report and chart. */
class CampaignBrowserIT extends BrowserTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    TrackedLetters letters;
    @Autowired
    CapturedMail captured;

    @Override
    protected String language() {
        return "ru";
    }

    @Test
    void fromCreationThroughSendingToTheReportWithItsChart() throws Exception {
        TestWorkspace ws = newWorkspace();
        String tag = UUID.randomUUID().toString().substring(0, 6);
        long olga = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "olga-" + tag + "@zavod.ru", "firstName", "Ольга")).body().get("id").asLong();
        long pavel = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "pavel-" + tag + "@zavod.ru", "firstName", "Павел")).body().get("id").asLong();
        long list = post("/api/v1/lists", ws.apiKey(), Map.of("name", "Выставка " + tag)).body().get("id").asLong();
        post("/api/v1/lists/" + list + "/members", ws.apiKey(), Map.of("contactIds", List.of(olga, pavel)));
        long template = post("/api/v1/templates", ws.apiKey(), Map.of("name", "Приглашение " + tag, "kind", "event",
                "subject", "Приглашение для {{ contact.first_name }}",
                "html", "<p>Ждём вас на стенде</p><a href=\"https://zavod.example/expo\">Программа</a> "
                        + "<a href=\"{{ unsubscribe_url }}\">Отписаться</a>")).body().get("id").asLong();

        browser.get(url("/login"));
        browser.findElement(By.id("email")).sendKeys(ws.ownerEmail());
        browser.findElement(By.id("password")).sendKeys(ws.ownerPassword());
        browser.findElement(By.cssSelector("form[action$='/login'] button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(url("/")));

        browser.get(url("/campaigns"));
        browser.findElement(By.id("new-campaign")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("campaign-form")));
        browser.findElement(By.id("name")).sendKeys("Приглашение на выставку " + tag);
        new Select(browser.findElement(By.id("kind"))).selectByValue("event");
        browser.findElement(By.cssSelector("input[name=segmentIds][value='" + list + "']")).click();
        new Select(browser.findElement(By.id("templateId"))).selectByValue(Long.toString(template));
        browser.findElement(By.id("fromName")).sendKeys("Завод");
        browser.findElement(By.id("fromEmail")).sendKeys("expo@zavod.example");
        // The A/B section opens when ticked and offers template selects for a content test; untick it, and nothing of
        // it is saved (this campaign goes to both contacts at once).
        assertThat(browser.findElement(By.id("abVariant1")).isDisplayed()).isFalse();
        browser.findElement(By.id("ab")).click();
        assertThat(browser.findElement(By.id("abVariant1")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("abTemplate1")).isDisplayed()).isFalse();
        new Select(browser.findElement(By.id("abKind"))).selectByValue("template");
        assertThat(browser.findElement(By.id("abVariant1")).isDisplayed()).isFalse();
        new Select(browser.findElement(By.id("abTemplate1"))).selectByValue(Long.toString(template));
        browser.findElement(By.id("ab")).click();
        assertThat(browser.findElement(By.id("abTemplate1")).isDisplayed()).isFalse();
        browser.findElement(By.cssSelector("#campaign-form button[type=submit]")).click();
        wait.until(ExpectedConditions.urlMatches(".*/campaigns/\\d+$"));
        long id = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/campaigns/(\\d+)$", "$1"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("Приглашение на выставку " + tag);
        assertThat(get("/api/v1/campaigns/" + id, ws.apiKey()).body().has("abTest")).isFalse();

        browser.findElement(By.id("send")).click();
        WebDriverWait slow = new WebDriverWait(browser, Duration.ofSeconds(40));
        // The progress block polls itself while sending; the report appears once the letters went out.
        slow.until(d -> {
            d.navigate().refresh();
            return !d.findElements(By.id("report")).isEmpty()
                    && d.findElement(By.id("report")).getText().contains("2");
        });
        slow.until(d -> captured.list(ws.id(), 10).stream().filter(m -> m.subject() != null && m.subject().startsWith("Приглашение для"))
                .count() == 2);

        // Olga opens and clicks (over HTTP, as her mail client would).
        long message = jdbc.sql("select message_id from campaign_recipient where workspace_id = ? and campaign_id = ? and contact_id = ?")
                .params(ws.id().value(), id, olga).query(Long.class).single();
        String html = letters.instrument(ws.id(), message, olga, Instant.now().minus(Duration.ofHours(1)),
                "<html><body><a href=\"https://zavod.example/expo\">Программа</a></body></html>");
        for (String prefix : List.of("/t/o/", "/t/c/")) {
            Matcher m = Pattern.compile("https?://[^\"]+(" + Pattern.quote(prefix) + "[^\"]+)").matcher(html);
            assertThat(m.find()).isTrue();
            http.send(HttpRequest.newBuilder(URI.create(url(m.group(1)))).header("User-Agent",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36").build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        slow.until(d -> {
            d.navigate().refresh();
            return !d.findElements(By.id("chart")).isEmpty() && d.findElement(By.id("open-rate")).getText().startsWith("50");
        });
        assertThat(browser.findElement(By.id("chart")).getTagName()).isEqualTo("svg");
        assertThat(browser.findElements(By.cssSelector("#chart polyline"))).hasSize(2);
        assertThat(browser.findElement(By.id("report")).getText()).contains("https://zavod.example/expo");

        // Side by side with itself is a one-column comparison reached from the list.
        browser.get(url("/campaigns"));
        browser.findElement(By.cssSelector("#compare-form input[name=ids][value='" + id + "']")).click();
        browser.findElement(By.id("compare")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("comparison")));
        // (Header cells are shown in capitals.)
        assertThat(browser.findElement(By.id("comparison")).getText().toLowerCase(java.util.Locale.ROOT))
                .contains(("Приглашение на выставку " + tag).toLowerCase(java.util.Locale.ROOT), "50,0");
        browser.findElement(By.cssSelector("form[action$='/logout'] button")).click();
    }
}
