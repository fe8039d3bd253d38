package io.orbita.audience;

import java.util.Locale;

/** Lookup of enum constants by their lower-case code, as JSON, CSV and forms spell them. */
final class Codes {

    private Codes() {
    }

    static <E extends Enum<E>> E find(E[] values, String code) {
        if (code == null) {
            return null;
        }
        String wanted = code.strip().toLowerCase(Locale.ROOT);
        for (E v : values) {
            if (v.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return v;
            }
        }
        return null;
    }
}
