package io.orbita.audience;

/**
 * The verdict on one address, as {@code POST /api/v1/emails/validate} returns it and imports use it.
 *
 * @param verdict    valid (send), risky (may bounce or reach no person: decide), invalid (never send)
 * @param reason     why, as a machine code and an English sentence; code {@code ok} for a plain valid address
 * @param normalized the address as Orbita stores it, or null when it cannot be read as an address
 * @param suggestion a likely intended address for a typo ({@code gmial.com} → {@code gmail.com}), or null
 */
public record AddressCheck(String input, Verdict verdict, Reason reason, String normalized, String suggestion) {

    public enum Verdict {
        VALID, RISKY, INVALID;

        @com.fasterxml.jackson.annotation.JsonValue
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Reason(String code, String message) {
    }
}
