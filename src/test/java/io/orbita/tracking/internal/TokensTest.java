package io.orbita.tracking.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.orbita.platform.Signing;
import io.orbita.platform.WorkspaceId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokensTest {

    private final Tokens tokens = new Tokens(Signing.withSecret("a-test-secret-that-is-long-enough-0123456789"));
    private final Tokens.MessageRef message = new Tokens.MessageRef(WorkspaceId.of(7), 123_456_789L, 42L,
            Instant.parse("2026-11-23T10:00:00Z"));

    @Test
    void openAndClickTokensCarryTheirMessageAndUrl() {
        assertThat(tokens.readOpen(tokens.open(message))).contains(message);
        String url = "https://пример.рф/путь?a=1&b=два#frag";
        assertThat(tokens.readClick(tokens.click(message, url))).contains(new Tokens.Click(message, url));
    }

    @Test
    void tokensAreUrlPathSafe() {
        String token = tokens.click(message, "https://example.com/a b?c=d/e");
        assertThat(token).matches("[A-Za-z0-9._-]+");
    }

    @Test
    void aMessageWithoutContactOrSendTime() {
        Tokens.MessageRef bare = new Tokens.MessageRef(WorkspaceId.of(1), 1, null, null);
        assertThat(tokens.readOpen(tokens.open(bare))).contains(bare);
    }

    @Test
    void aTamperedClickTokenIsRefused() {
        String token = tokens.click(message, "https://shop.example/");
        String value = token.substring(0, token.lastIndexOf('.'));
        String sig = token.substring(token.lastIndexOf('.'));
        // Swap the URL for another one and keep the signature: the open redirect an attacker wants.
        String[] f = value.split("\\.");
        f[4] = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("https://evil.example/".getBytes());
        assertThat(tokens.readClick(String.join(".", f) + sig)).isEmpty();
        // One changed character of the signature, and a token cut short by a mail client.
        int i = token.length() - 10;
        assertThat(tokens.readClick(token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1))).isEmpty();
        assertThat(tokens.readClick(token.substring(0, token.length() - 5))).isEmpty();
        assertThat(tokens.readClick("garbage")).isEmpty();
        assertThat(tokens.readClick("")).isEmpty();
        assertThat(tokens.readClick(null)).isEmpty();
        assertThat(tokens.readClick("x".repeat(Tokens.MAX_TOKEN + 1))).isEmpty();
    }

    @Test
    void aTokenMadeForOnePurposeDoesNotWorkForAnother() {
        assertThat(tokens.readClick(tokens.open(message))).isEmpty();
        assertThat(tokens.readOpen(tokens.click(message, "https://a.example/"))).isEmpty();
        Tokens.Recipient r = new Tokens.Recipient(WorkspaceId.of(7), 5, 42L, null, "promo");
        assertThat(tokens.readPreferences(tokens.unsubscribe(r))).isEmpty();
        assertThat(tokens.readUnsubscribe(tokens.preferences(r))).isEmpty();
        assertThat(tokens.readUnsubscribe(tokens.unsubscribe(r))).contains(r);
    }

    @Test
    void anotherInstallationsTokensAreRefused() {
        Tokens other = new Tokens(Signing.withSecret("another-secret-that-is-long-enough-0123456789"));
        assertThat(tokens.readOpen(other.open(message))).isEmpty();
    }

    @Test
    void aBareAddressTravelsInTheRecipientToken() {
        Tokens.Recipient r = new Tokens.Recipient(WorkspaceId.of(7), 5, null, "иван@пример.рф", null);
        assertThat(tokens.readUnsubscribe(tokens.unsubscribe(r))).contains(r);
    }
}
