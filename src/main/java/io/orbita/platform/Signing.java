package io.orbita.platform;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The installation's secret put to work: HMAC signatures for tokens a recipient sees (bounce addresses, tracking and
 * unsubscribe links) and AES-GCM encryption for stored private keys. Each use names a {@code purpose}, and a key is
 * derived per purpose, so a signature made for one purpose never verifies for another.
 *
 * <p>The secret is {@code ORBITA_SECRET} when set (at least 32 characters), otherwise a random one that the first node
 * stores in {@code installation_secret}; every node of an installation therefore signs and verifies alike.
 */
@Component
public class Signing {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();
    private static final int GCM_NONCE = 12;

    private final JdbcClient jdbc;
    private final byte[] configured;
    private volatile byte[] master;

    Signing(JdbcClient jdbc, @Value("${orbita.secret:}") String configured) {
        this.jdbc = jdbc;
        if (!configured.isEmpty() && configured.length() < 32) {
            throw new IllegalStateException("ORBITA_SECRET must have at least 32 characters");
        }
        this.configured = configured.isEmpty() ? null : configured.getBytes(StandardCharsets.UTF_8);
    }

    /** Signing with a fixed secret and no database: for tests and tools. */
    public static Signing withSecret(String secret) {
        return new Signing(null, secret);
    }

    /** The HMAC-SHA256 of {@code data} under the purpose's key, {@code bytes} long (at least 8, at most 32). */
    public byte[] mac(String purpose, byte[] data, int bytes) {
        if (bytes < 8 || bytes > 32) {
            throw new IllegalArgumentException("a MAC is 8 to 32 bytes");
        }
        return Arrays.copyOf(hmac(key(purpose), data), bytes);
    }

    /** {@code value.signature} with a URL-safe base64 signature of 16 bytes (128 bits). */
    public String sign(String purpose, String value) {
        return value + "." + URL.encodeToString(mac(purpose, value.getBytes(StandardCharsets.UTF_8), 16));
    }

    /** The value of a {@link #sign signed} token, or empty when the signature does not match (tampered or foreign). */
    public Optional<String> verify(String purpose, String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String value = token.substring(0, dot);
        byte[] given;
        try {
            given = URL_DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] expected = mac(purpose, value.getBytes(StandardCharsets.UTF_8), 16);
        return MessageDigest.isEqual(expected, given) ? Optional.of(value) : Optional.empty();
    }

    /** AES-256-GCM with a random nonce; the result carries the nonce. */
    public byte[] encrypt(String purpose, byte[] plain) {
        try {
            byte[] nonce = new byte[GCM_NONCE];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key("encrypt:" + purpose), "AES"),
                    new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Opens what {@link #encrypt} sealed; fails when the data was altered or the installation secret changed. */
    public byte[] decrypt(String purpose, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key("encrypt:" + purpose), "AES"),
                    new GCMParameterSpec(128, sealed, 0, GCM_NONCE));
            return cipher.doFinal(sealed, GCM_NONCE, sealed.length - GCM_NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed: the data was altered or ORBITA_SECRET changed", e);
        }
    }

    private byte[] key(String purpose) {
        return hmac(master(), ("orbita:" + purpose).getBytes(StandardCharsets.UTF_8));
    }

    private byte[] master() {
        byte[] m = master;
        if (m == null) {
            m = configured != null ? configured : storedSecret();
            master = m;
        }
        return m;
    }

    private byte[] storedSecret() {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        // Several nodes may start at once: the first insert wins and everyone reads the winner.
        jdbc.sql("insert into installation_secret (id, secret) values (1, ?) on conflict (id) do nothing")
                .param(fresh).update();
        return jdbc.sql("select secret from installation_secret where id = 1").query(byte[].class).single();
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
