package io.orbita.delivery.inbound;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an inbound message is. */
public enum InboundKind {
    BOUNCE, COMPLAINT, AUTO_REPLY, REPLY, OTHER;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
