package io.orbita.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SigningTest {

    private final Signing signing = Signing.withSecret("a-test-secret-of-at-least-32-characters!");

    @Test
    void signedValueVerifiesAndTamperingIsRefused() {
        String token = signing.sign("unsubscribe", "42:1001");
        assertThat(signing.verify("unsubscribe", token)).contains("42:1001");
        assertThat(signing.verify("unsubscribe", token.replace("42:", "43:"))).isEmpty();
        assertThat(signing.verify("unsubscribe", token + "x")).isEmpty();
        assertThat(signing.verify("unsubscribe", "42:1001")).isEmpty();
        assertThat(signing.verify("unsubscribe", null)).isEmpty();
    }

    @Test
    void aSignatureForOnePurposeDoesNotVerifyForAnother() {
        String token = signing.sign("click", "42:1001");
        assertThat(signing.verify("unsubscribe", token)).isEmpty();
    }

    @Test
    void anotherInstallationSecretDoesNotVerify() {
        String token = signing.sign("click", "v");
        assertThat(Signing.withSecret("another-secret-of-at-least-32-characters").verify("click", token)).isEmpty();
    }

    @Test
    void encryptionRoundTripsAndDetectsAlteration() {
        byte[] plain = "-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = signing.encrypt("dkim", plain);
        assertThat(sealed).isNotEqualTo(signing.encrypt("dkim", plain)); // random nonce
        assertThat(signing.decrypt("dkim", sealed)).isEqualTo(plain);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> signing.decrypt("dkim", sealed)).hasMessageContaining("altered");
    }

    @Test
    void aShortConfiguredSecretIsRefused() {
        assertThatThrownBy(() -> Signing.withSecret("short")).hasMessageContaining("at least 32");
    }
}
