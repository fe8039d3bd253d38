package io.orbita.audience;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kind of relationship a contact stands for; segments and letters differ by it. In JSON and forms the lower-case code is used. */
public enum ContactType {
    PRIVATE_PERSON, CORPORATE_CLIENT, PARTNER, MEDIA, SUPPLIER;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the value for a code, or null when the code is unknown */
    public static ContactType fromCode(String code) {
        return Codes.find(values(), code);
    }
}
