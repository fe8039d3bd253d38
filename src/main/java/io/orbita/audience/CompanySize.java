package io.orbita.audience;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Headcount bands, following the Russian SME categories (micro up to 15 people, small up to 100, medium up to 250). */
public enum CompanySize {
    MICRO, SMALL, MEDIUM, LARGE, ENTERPRISE;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CompanySize fromCode(String code) {
        return Codes.find(values(), code);
    }
}
