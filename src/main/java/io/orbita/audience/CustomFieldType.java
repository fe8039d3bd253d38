package io.orbita.audience;

import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The type of a custom field, and how a raw value (from JSON, a form or a CSV cell) becomes a stored one. Values are
 * stored in JSON as text, number, ISO date string or boolean.
 */
public enum CustomFieldType {
    TEXT, NUMBER, DATE, BOOLEAN, CHOICE;

    static final int MAX_TEXT = 2000;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CustomFieldType fromCode(String code) {
        return Codes.find(values(), code);
    }

    /**
     * @return the value to store
     * @throws IllegalArgumentException with an English explanation when the value does not fit the type
     */
    public Object normalize(Object raw, List<String> options) {
        String text = raw instanceof String s ? s.strip() : null;
        return switch (this) {
            case TEXT -> {
                String v = raw instanceof String s ? s : String.valueOf(raw);
                if (v.length() > MAX_TEXT) {
                    throw new IllegalArgumentException("text must be at most " + MAX_TEXT + " characters");
                }
                yield v;
            }
            case NUMBER -> {
                if (raw instanceof Number n) {
                    yield new BigDecimal(n.toString());
                }
                try {
                    yield new BigDecimal(text.replace(',', '.').replace(" ", ""));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("must be a number");
                }
            }
            case DATE -> {
                try {
                    yield Dates.parse(text).toString();
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("must be a date as YYYY-MM-DD or DD.MM.YYYY");
                }
            }
            case BOOLEAN -> {
                if (raw instanceof Boolean b) {
                    yield b;
                }
                String v = text == null ? "" : text.toLowerCase(Locale.ROOT);
                yield switch (v) {
                    case "true", "yes", "1", "да", "y" -> true;
                    case "false", "no", "0", "нет", "n" -> false;
                    default -> throw new IllegalArgumentException("must be true or false");
                };
            }
            case CHOICE -> {
                String v = raw instanceof String s ? s.strip() : String.valueOf(raw);
                yield options.stream().filter(o -> o.equalsIgnoreCase(v)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("must be one of: " + String.join(", ", options)));
            }
        };
    }

    /** Dates as B2B users type them: ISO, or the Russian day.month.year. */
    static final class Dates {

        private Dates() {
        }

        /**
         * "31.12.1990" or "1.2.1990" (how Russian users and their Excel write dates), or ISO "1990-12-31". Read by hand:
         * an import parses one per row, and a regular expression cost a matcher, its groups and three strings each.
         */
        static LocalDate parse(String text) {
            if (text == null) {
                throw new IllegalArgumentException("no date");
            }
            String t = text.strip();
            int firstDot = t.indexOf('.');
            int secondDot = firstDot < 0 ? -1 : t.indexOf('.', firstDot + 1);
            if (firstDot >= 1 && firstDot <= 2 && secondDot - firstDot >= 2 && secondDot - firstDot <= 3 && t.length() - secondDot == 5) {
                int day = digits(t, 0, firstDot);
                int month = digits(t, firstDot + 1, secondDot);
                int year = digits(t, secondDot + 1, t.length());
                if (day >= 0 && month >= 0 && year >= 0) {
                    return LocalDate.of(year, month, day);
                }
            }
            return LocalDate.parse(t);
        }

        /** The number the ASCII digits from..to spell, or -1 if any is not a digit. */
        private static int digits(String s, int from, int to) {
            int v = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }
    }
}
