package io.orbita.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.OrbitaIT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A marketer builds a two-group segment in a real Chromium and sees the live count change, then saves it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentsBrowserIT extends OrbitaIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void startBrowser() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && System.getenv("CI") != null) {
            throw new IllegalStateException("CI must install chromium and chromium-driver (see .ci/run)");
        }
        Assumptions.assumeTrue(installed, "Chromium is not installed here");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--lang=en", "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory("orbita-chromium"));
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
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
