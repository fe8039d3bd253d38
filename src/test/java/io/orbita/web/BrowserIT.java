package io.orbita.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** What a marketer does first, in a real Chromium: sign in, add a company and a contact, find it, open its card. */
class BrowserIT extends BrowserTest {

    @Override
    protected String language() {
        return "ru";
    }

    @Test
    void signInCreateCompanyAndCyrillicContactFindItAndOpenTheCard() {
        TestWorkspace ws = newWorkspace();
        browser.get(url("/login"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Вход");
        browser.findElement(By.id("email")).sendKeys(ws.ownerEmail());
        browser.findElement(By.id("password")).sendKeys(ws.ownerPassword());
        browser.findElement(By.cssSelector("form[action$='/login'] button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(url("/")));

        browser.get(url("/companies/new"));
        browser.findElement(By.id("name")).sendKeys("ООО «Точные приборы»");
        browser.findElement(By.id("inn")).sendKeys("7707083893");
        browser.findElement(By.cssSelector("form.form button[type=submit]")).click();
        wait.until(ExpectedConditions.urlMatches(".*/companies/\\d+$"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("ООО «Точные приборы»");

        browser.get(url("/contacts/new"));
        browser.findElement(By.id("email")).sendKeys("not an email");
        browser.findElement(By.cssSelector("form.form button[type=submit]")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#email + .field-error"))).getText())
                .isNotBlank();

        browser.findElement(By.id("email")).clear();
        browser.findElement(By.id("email")).sendKeys("Светлана.Кузнецова@приборы.рф");
        browser.findElement(By.id("lastName")).sendKeys("Кузнецова");
        browser.findElement(By.id("firstName")).sendKeys("Светлана");
        browser.findElement(By.id("position")).sendKeys("Главный инженер");
        browser.findElement(By.id("companyName")).sendKeys("ООО «Точные приборы»");
        new Select(browser.findElement(By.id("type"))).selectByValue("corporate_client");
        browser.findElement(By.cssSelector("form.form button[type=submit]")).click();
        wait.until(ExpectedConditions.urlMatches(".*/contacts/\\d+$"));

        browser.get(url("/contacts"));
        browser.findElement(By.name("q")).sendKeys("кузнец");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("results"), "Светлана.Кузнецова@приборы.рф"));
        browser.findElement(By.linkText("Светлана Кузнецова")).click();
        wait.until(ExpectedConditions.urlMatches(".*/contacts/\\d+$"));
        String card = browser.findElement(By.tagName("main")).getText();
        assertThat(card).contains("Светлана.Кузнецова@приборы.рф", "Главный инженер", "ООО «Точные приборы»",
                "Корпоративный клиент", "Подписан");
    }

    @Test
    void userSuppliedMarkupIsShownAsText() {
        TestWorkspace ws = newWorkspace();
        long id = post("/api/v1/contacts", ws.apiKey(), Map.of("email", "xss@example.ru",
                "firstName", "<script>alert(1)</script>", "lastName", "<img src=x onerror=alert(2)>")).body().get("id").asLong();
        browser.get(url("/login"));
        browser.findElement(By.id("email")).sendKeys(ws.ownerEmail());
        browser.findElement(By.id("password")).sendKeys(ws.ownerPassword());
        browser.findElement(By.cssSelector("form[action$='/login'] button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(url("/")));
        browser.get(url("/contacts/" + id));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("<script>alert(1)</script> <img src=x onerror=alert(2)>");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        browser.get(url("/contacts"));
        assertThat(browser.findElement(By.id("results")).getText()).contains("<script>alert(1)</script>");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        browser.findElement(By.cssSelector("form[action$='/logout'] button")).click();
    }

    @Test
    void importWizardFromUploadToTheFinishedReport() throws Exception {
        TestWorkspace ws = newWorkspace();
        java.nio.file.Path file = Files.createTempFile("контакты", ".csv");
        Files.write(file, ("E-mail;Фамилия;Имя;Должность\r\n"
                + "olga@zavod.ru;Иванова;Ольга;Главный технолог\r\n"
                + "сломанный адрес;Петров;Пётр;\r\n"
                + "pavel@zavod.ru;Сидоров;Павел;Снабженец\r\n").getBytes(java.nio.charset.Charset.forName("windows-1251")));
        browser.get(url("/login"));
        browser.findElement(By.id("email")).sendKeys(ws.ownerEmail());
        browser.findElement(By.id("password")).sendKeys(ws.ownerPassword());
        browser.findElement(By.cssSelector("form[action$='/login'] button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(url("/")));

        browser.get(url("/imports"));
        assertThat(new Select(browser.findElement(By.id("kind"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("contacts");
        browser.findElement(By.id("file")).sendKeys(file.toString());
        browser.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("mapping-form")));
        // Columns were recognised from their Russian headers; the preview shows the file decoded from Windows-1251.
        assertThat(new Select(browser.findElement(By.id("col-0"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("email");
        assertThat(new Select(browser.findElement(By.id("col-1"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("lastName");
        assertThat(browser.findElement(By.id("mapping-form")).getText()).contains("Иванова", "Главный технолог");
        browser.findElement(By.id("sourceLabel")).sendKeys("Выставка «Металлообработка-2026»");
        browser.findElement(By.id("tags")).sendKeys("expo-2026");
        browser.findElement(By.cssSelector("#mapping-form button[type=submit]")).click();

        // The status block is swapped by htmx while it is polled: a lookup can hit the element just replaced.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(ExpectedConditions.attributeToBe(By.id("import-status"), "data-status", "done"));
        assertThat(browser.findElement(By.id("rows-created")).getText()).isEqualTo("2");
        assertThat(browser.findElement(By.id("rows-skipped")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("error-file")).getAttribute("href")).endsWith("/errors.csv");
        browser.get(url("/contacts?q=zavod"));
        assertThat(browser.findElement(By.id("results")).getText()).contains("olga@zavod.ru", "pavel@zavod.ru");
        browser.findElement(By.cssSelector("form[action$='/logout'] button")).click();
    }

    @Test
    void templateEditorPreviewFollowsTypingForAChosenContactAndWidth() {
        TestWorkspace ws = newWorkspace();
        post("/api/v1/contacts", ws.apiKey(), Map.of("email", "olga@zavod.ru", "firstName", "Ольга", "lastName", "Кузнецова"));
        browser.get(url("/login"));
        browser.findElement(By.id("email")).sendKeys(ws.ownerEmail());
        browser.findElement(By.id("password")).sendKeys(ws.ownerPassword());
        browser.findElement(By.cssSelector("form[action$='/login'] button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(url("/")));

        browser.get(url("/templates/new"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("preview-subject")));
        browser.findElement(By.id("subject")).clear();
        browser.findElement(By.id("subject")).sendKeys("{{ contact.name }}, новинки для вас");
        wait.until(ExpectedConditions.textToBe(By.id("preview-subject"), "Иван, новинки для вас"));

        new Select(browser.findElement(By.id("contactId"))).selectByVisibleText("Ольга Кузнецова <olga@zavod.ru>");
        wait.until(ExpectedConditions.textToBe(By.id("preview-subject"), "Ольга, новинки для вас"));

        browser.findElement(By.id("html")).sendKeys("\n<p>{{ contact.frist_name }}</p>");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-warnings"), "contact.frist_name"));

        browser.findElement(By.cssSelector("input[name=width][value=mobile]")).click();
        // htmx swaps the preview in: elements found before a swap go stale, so the waits look them up again.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.cssSelector("iframe.letter-frame")).getAttribute("class").contains("mobile")
                        && d.findElement(By.cssSelector("iframe.letter-frame")).getSize().getWidth() < 400);
        browser.switchTo().frame(browser.findElement(By.cssSelector("iframe.letter-frame")));
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Здравствуйте, Ольга!");
        browser.switchTo().defaultContent();

        browser.findElement(By.id("name")).sendKeys("Новинки");
        browser.findElement(By.cssSelector("#editor button[type=submit]")).click();
        wait.until(ExpectedConditions.urlMatches(".*/templates/\\d+$"));
        assertThat(browser.findElement(By.cssSelector(".flash")).getText()).contains("версия 1");
        browser.findElement(By.cssSelector("form[action$='/logout'] button")).click();
    }
}
