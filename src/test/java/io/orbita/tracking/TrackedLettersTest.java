package io.orbita.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.platform.Signing;
import io.orbita.platform.WorkspaceId;
import io.orbita.tracking.internal.Tokens;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class TrackedLettersTest {

    private final Tokens tokens = new Tokens(Signing.withSecret("a-test-secret-that-is-long-enough-0123456789"));
    private final TrackedLetters letters = new TrackedLetters(tokens, "https://t.example.com/", new MockEnvironment());
    private final WorkspaceId ws = WorkspaceId.of(3);
    private final Instant sent = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void linksPointAtTheTrackingHostWithSignedTokens() {
        TrackedLetters.Links links = letters.linksFor(ws, 77, 5L, "a@b.example", "promo");
        assertThat(links.unsubscribe()).startsWith("https://t.example.com/u/");
        assertThat(links.preferences()).startsWith("https://t.example.com/p/");
        assertThat(links.oneClickUnsubscribe()).isEqualTo(links.unsubscribe());
        String token = links.unsubscribe().substring("https://t.example.com/u/".length());
        assertThat(tokens.readUnsubscribe(token)).contains(new Tokens.Recipient(ws, 77, 5L, null, "promo"));
    }

    @Test
    void instrumentsLinksButNotTheLettersOwnUnsubscribeLinksAndAddsOnePixel() {
        TrackedLetters.Links links = letters.linksFor(ws, 77, 5L, "a@b.example", "news");
        String html = "<html><body><a href=\"https://shop.example/a?x=1&amp;y=2\">Shop</a>"
                + "<a href=\"" + links.unsubscribe() + "\">Unsubscribe</a><a href=\"" + links.preferences() + "\">Prefs</a>"
                + "<a href=\"mailto:a@shop.example\">Mail</a></body></html>";
        String out = letters.instrument(ws, 77, 5L, sent, html);

        var click = Pattern.compile("href=\"https://t\\.example\\.com/t/c/([^\"]+)\"").matcher(out);
        assertThat(click.find()).isTrue();
        assertThat(tokens.readClick(click.group(1))).contains(
                new Tokens.Click(new Tokens.MessageRef(ws, 77, 5L, sent), "https://shop.example/a?x=1&y=2"));
        assertThat(click.find()).as("only one link is tracked").isFalse();
        assertThat(out).contains("href=\"" + links.unsubscribe() + "\"", "href=\"" + links.preferences() + "\"",
                "href=\"mailto:a@shop.example\"");
        assertThat(Pattern.compile("/t/o/").matcher(out).results().count()).isEqualTo(1);
        assertThat(out).contains("width=\"1\" height=\"1\" alt=\"\"").endsWith("</body></html>");

        assertThat(letters.instrument(ws, 77, 5L, sent, out)).as("instrumenting twice changes nothing").isEqualTo(out);
    }

    @Test
    void withoutAConfiguredBaseTheLocalPortIsUsed() {
        MockEnvironment env = new MockEnvironment().withProperty("local.server.port", "54321");
        assertThat(new TrackedLetters(tokens, "", env).baseUrl()).isEqualTo("http://localhost:54321");
    }
}
