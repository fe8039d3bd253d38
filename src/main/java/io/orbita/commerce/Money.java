package io.orbita.commerce;

import io.orbita.platform.Problems;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;

/** Amounts and currencies as commerce stores them: two decimals, ISO 4217 codes, roubles by default. */
final class Money {

    static final String DEFAULT_CURRENCY = "RUB";
    static final BigDecimal MAX = new BigDecimal("999999999999.99");

    private Money() {
    }

    static BigDecimal amount(Optional<BigDecimal> in, BigDecimal current, String field, boolean required, Problems p) {
        if (in == null || in.isEmpty()) {
            if (required && current == null) {
                p.add(field, "field.required", field + " is required");
            }
            return in == null ? current : null;
        }
        BigDecimal v = in.get();
        if (v.signum() < 0 || v.compareTo(MAX) > 0) {
            p.add(field, "money.range", field + " must be between 0 and " + MAX.toPlainString());
            return current;
        }
        return v.setScale(2, RoundingMode.HALF_UP);
    }

    static String currency(Optional<String> in, String current, Problems p) {
        if (in == null) {
            return current == null ? DEFAULT_CURRENCY : current;
        }
        String v = in.map(s -> s.strip().toUpperCase(Locale.ROOT)).orElse(DEFAULT_CURRENCY);
        if (!v.matches("[A-Z]{3}")) {
            p.add("currency", "currency.invalid", "currency must be a three-letter ISO code such as RUB");
            return current == null ? DEFAULT_CURRENCY : current;
        }
        return v;
    }
}
