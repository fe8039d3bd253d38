package io.orbita.workspace.internal;

import io.orbita.platform.FieldProblem;
import io.orbita.platform.ValidationException;
import java.security.SecureRandom;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Password rules and hashing (Argon2id through the delegating encoder, so the algorithm can change later). */
@Component
public class Passwords {

    public static final int MIN_LENGTH = 10;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PasswordEncoder encoder;

    Passwords(PasswordEncoder encoder) {
        this.encoder = encoder;
    }

    public String hash(String field, String raw) {
        if (raw == null || raw.length() < MIN_LENGTH) {
            throw new ValidationException(FieldProblem.of(field, "password.tooShort",
                    "password must have at least " + MIN_LENGTH + " characters", MIN_LENGTH));
        }
        if (raw.length() > 200) {
            throw new ValidationException(FieldProblem.of(field, "password.tooLong", "password must have at most 200 characters"));
        }
        return encoder.encode(raw);
    }

    public boolean matches(String raw, String hash) {
        return raw != null && encoder.matches(raw, hash);
    }

    public static String generate() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
