package io.orbita.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.web.BrowserTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** A marketer builds a two-group segment in a real Chromium and sees the live count change, then saves it. */
class SegmentsBrowserIT extends BrowserTest {

    @Override
    protected String language() {
        return "en";
    }

    @Override
    protected String windowSize() {
        return "1400,1000";
    }

    private void liveCountIs(String count) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-count"), count));
        wait.until(d -> d.findElement(By.id("live-count")).getText().equals(count));
    }

    @Test
    void buildATwoGroupSegmentAndSeeTheCount() {
        TestWorkspace ws = newWorkspace();
        // Partners: one with the tag vip, one without; a private person with the tag vip; a media contact.
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "p1@b.ru", "type", "partner", "tags", List.of("vip")));
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "p2@b.ru", "type", "partner"));
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "pp@b.ru", "type", "private_person", "tags", List.of("vip")));
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "m@b.ru", "type", "media"));

        browser.get(url("/login?lang=en"));
        browser.findElement(By.id("email")).sendKeys(ws.ownerEmail());
        browser.findElement(By.id("password")).sendKeys(ws.ownerPassword());
        browser.findElement(By.cssSelector("form[action$='/login'] button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(url("/")));
        browser.get(url("/segments?lang=en"));
        browser.findElement(By.id("new-segment")).click();
        wait.until(ExpectedConditions.urlMatches(".*/segments/new$"));
        liveCountIs("4");

        // Group 1 (any of): contact type is partner OR has tag vip.
        browser.findElement(By.cssSelector("#segment-builder > .seg-group > .seg-row > .seg-add-group")).click();
        WebElement group1 = browser.findElements(By.cssSelector("#segment-builder .seg-nested")).get(0);
        new Select(group1.findElement(By.cssSelector(".seg-value"))).selectByValue("partner");
        group1.findElement(By.cssSelector(".seg-add-condition")).click();
        group1 = browser.findElements(By.cssSelector("#segment-builder .seg-nested")).get(0);
        WebElement second = group1.findElements(By.cssSelector(".seg-condition")).get(1);
        new Select(second.findElement(By.cssSelector(".seg-field"))).selectByValue("tags");
        second = browser.findElements(By.cssSelector("#segment-builder .seg-nested")).get(0).findElements(By.cssSelector(".seg-condition")).get(1);
        second.findElement(By.cssSelector(".seg-value")).sendKeys("vip");
        liveCountIs("3");

        // Group 2 (any of), negated: not (contact type is private person).
        browser.findElement(By.cssSelector("#segment-builder > .seg-group > .seg-row > .seg-add-group")).click();
        WebElement group2 = browser.findElements(By.cssSelector("#segment-builder .seg-nested")).get(1);
        new Select(group2.findElement(By.cssSelector(".seg-value"))).selectByValue("private_person");
        liveCountIs("1");
        group2 = browser.findElements(By.cssSelector("#segment-builder .seg-nested")).get(1);
        group2.findElement(By.cssSelector(".seg-not")).click();
        liveCountIs("2");

        browser.findElement(By.id("name")).sendKeys("Partners and VIPs");
        browser.findElement(By.id("save-segment")).click();
        wait.until(ExpectedConditions.urlMatches(".*/segments/\\d+$"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Partners and VIPs");
        assertThat(browser.findElement(By.id("stored-size")).getText()).isEqualTo("2");
        liveCountIs("2");
    }
}
