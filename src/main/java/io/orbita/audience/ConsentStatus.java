package io.orbita.audience;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether marketing mail may go to a contact. Only {@code SUBSCRIBED} contacts receive marketing letters. In JSON and forms the lower-case code is used. */
public enum ConsentStatus {
    SUBSCRIBED, UNSUBSCRIBED, BOUNCED, COMPLAINED;

    /** Computed once: every imported contact's consent is written by its code. */
    private final String code = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String code() {
        return code;
    }

    /** @return the value for a code, or null when the code is unknown */
    public static ConsentStatus fromCode(String code) {
        return Codes.find(values(), code);
    }
}
