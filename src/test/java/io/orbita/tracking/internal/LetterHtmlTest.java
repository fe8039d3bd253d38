package io.orbita.tracking.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LetterHtmlTest {

    static String newsletter() throws IOException {
        try (InputStream in = LetterHtmlTest.class.getResourceAsStream("/tracking/newsletter.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aThirdPartyNewsletterChangesOnlyInItsTrackedHrefsAndThePixel(boolean crlf) throws IOException {
        String html = crlf ? newsletter().replace("\r\n", "\n").replace("\n", "\r\n") : newsletter().replace("\r\n", "\n");
        List<String> targets = new ArrayList<>();
        String out = LetterHtml.instrument(html, url -> {
            if (url.contains("track.example.com")) {
                return null;
            }
            targets.add(url);
            return "T" + targets.size();
        }, "<img src=\"PIXEL\">");

        assertThat(targets).containsExactly(
                "https://optika-pro.ru/?utm_source=email&utm_medium=newsletter&utm_campaign=nov",
                "https://optika-pro.ru/catalog/microscopes?sort=new",
                "https://пример.рф/путь?q=линза",
                "https://optika-pro.ru/sale",
                "HTTPS://OPTIKA-PRO.RU/Contacts");
        String expected = html
                .replace("\"https://optika-pro.ru/?utm_source=email&amp;utm_medium=newsletter&amp;utm_campaign=nov\"", "\"T1\"")
                .replace("href=https://optika-pro.ru/catalog/microscopes?sort=new ", "href=T2 ")
                .replace("'https://пример.рф/путь?q=линза'", "'T3'")
                .replace("\"  https://optika-pro.ru/sale  \"", "\"T4\"")
                .replace("\"HTTPS://OPTIKA-PRO.RU/Contacts\"", "\"T5\"")
                .replace("</body>", "<img src=\"PIXEL\"></body>");
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void leavesMailtoTelAnchorsRelativeAndOptedOutLinksAlone() throws IOException {
        String out = LetterHtml.instrument(newsletter(), url -> "TRACKED", null);
        assertThat(out).contains("href=\"mailto:sales@optika-pro.ru?subject=Заказ\"", "href=\"tel:+74950000000\"",
                "href=\"#top\"", "href=\"/relative\"", "href=\"https://optika-pro.ru/keep\" data-orbita-track=\"off\"",
                "href=\"https://optika-pro.ru/liquid/{{ broken }}\"");
    }

    @Test
    void aFragmentWithoutBodyGetsThePixelAtTheEnd() {
        String out = LetterHtml.instrument("<p>Hi <a href=\"https://a.example/x\">x</a></p>", url -> "C", "<img>");
        assertThat(out).isEqualTo("<p>Hi <a href=\"C\">x</a></p><img>");
    }

    @Test
    void aBodyEndInsideACommentIsNotTheBodyEnd() {
        String html = "<html><body><!-- </body> --><p>x</p></body></html>";
        assertThat(LetterHtml.instrument(html, url -> "C", "<img>"))
                .isEqualTo("<html><body><!-- </body> --><p>x</p><img></body></html>");
    }

    @Test
    void emptyAndNullStayAsTheyAre() {
        assertThat(LetterHtml.instrument("", url -> "C", "<img>")).isEmpty();
        assertThat(LetterHtml.instrument(null, url -> "C", "<img>")).isNull();
    }
}
