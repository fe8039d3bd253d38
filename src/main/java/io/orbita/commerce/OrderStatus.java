package io.orbita.commerce;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An order's state. Cancelled and refunded orders are kept for history but are not purchases. */
public enum OrderStatus {
    PLACED, PAID, SHIPPED, CANCELLED, REFUNDED;

    /** The SQL condition every purchase metric uses, so "what counts" has one definition. */
    public static final String COUNTS_AS_PURCHASE = "status not in ('cancelled', 'refunded')";

    public boolean countsAsPurchase() {
        return this != CANCELLED && this != REFUNDED;
    }

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OrderStatus fromCode(String code) {
        for (OrderStatus s : values()) {
            if (code != null && s.code().equalsIgnoreCase(code.strip())) {
                return s;
            }
        }
        return null;
    }
}
