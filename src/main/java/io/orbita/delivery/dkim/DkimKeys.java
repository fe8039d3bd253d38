package io.orbita.delivery.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/** Key pairs for DKIM and the {@code p=} values of their DNS records. */
public final class DkimKeys {

    private DkimKeys() {
    }

    public static KeyPair generate(String algorithm) {
        try {
            if (algorithm.equals("ed25519")) {
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PrivateKey privateKey(String algorithm, byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(algorithm.equals("ed25519") ? "Ed25519" : "RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored DKIM key is unreadable", e);
        }
    }

    /**
     * The DNS {@code p=} value: for RSA the DER SubjectPublicKeyInfo; for Ed25519 (RFC 8463) the bare 32-byte key,
     * which is the end of its X.509 encoding.
     */
    public static String publicValue(String algorithm, byte[] x509) {
        byte[] p = algorithm.equals("ed25519") ? Arrays.copyOfRange(x509, x509.length - 32, x509.length) : x509;
        return Base64.getEncoder().encodeToString(p);
    }

    /** The TXT record text for the selector. */
    public static String txtRecord(String algorithm, byte[] x509) {
        return "v=DKIM1; k=" + (algorithm.equals("ed25519") ? "ed25519" : "rsa") + "; p=" + publicValue(algorithm, x509);
    }
}
