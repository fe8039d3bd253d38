package io.orbita.delivery.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import org.junit.jupiter.api.Test;

class OpenSslRsaTest {

    @Test
    void openSslSignsExactlyWhatTheJdkSigns() throws Exception {
        assumeTrue(OpenSslRsa.available(), "libcrypto not present");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        byte[] data = "from:Анна <anna@shop.example>\r\ndkim-signature:v=1; b=".getBytes(StandardCharsets.UTF_8);

        byte[] fast = OpenSslRsa.sign(kp.getPrivate(), data);
        byte[] again = OpenSslRsa.sign(kp.getPrivate(), data);

        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initSign(kp.getPrivate());
        jdk.update(data);
        assertThat(fast).isEqualTo(jdk.sign()).isEqualTo(again);
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(kp.getPublic());
        verify.update(data);
        assertThat(verify.verify(fast)).isTrue();
    }
}
