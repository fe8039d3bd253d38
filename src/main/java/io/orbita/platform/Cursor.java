package io.orbita.platform;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque keyset cursors: the last seen id, base64url-encoded so clients treat it as a token, not a number. */
public final class Cursor {

    private Cursor() {
    }

    public static String encode(long lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k" + lastId).getBytes(StandardCharsets.US_ASCII));
    }

    /** @return the id after which the next page starts, or {@code Long.MAX_VALUE} for the first page */
    public static long decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return Long.MAX_VALUE;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!raw.startsWith("k")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(raw.substring(1));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(FieldProblem.of("cursor", "cursor.invalid", "cursor is not one this API returned"));
        }
    }

    public static int limit(Integer requested, int max) {
        if (requested == null) {
            return Math.min(50, max);
        }
        if (requested < 1 || requested > max) {
            throw new ValidationException(FieldProblem.of("limit", "limit.range", "limit must be between 1 and " + max, max));
        }
        return requested;
    }
}
