package io.orbita.audience;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a contact came to the base; the free-text source label says which exhibition, form or import. In JSON and forms the lower-case code is used. */
public enum SourceKind {
    IMPORT, FORM, API, MANUAL, OFFLINE_EVENT;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the value for a code, or null when the code is unknown */
    public static SourceKind fromCode(String code) {
        return Codes.find(values(), code);
    }
}
