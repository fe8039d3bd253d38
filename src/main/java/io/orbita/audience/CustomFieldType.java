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
        /** Compiled once: {@code String.matches} would compile it for every cell of an import's date column. */
        private static final java.util.regex.Pattern RUSSIAN = java.util.regex.Pattern.compile("(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})");

        private Dates() {
        }

        static LocalDate parse(String text) {
            if (text == null) {
                throw new IllegalArgumentException("no date");
            }
            String t = text.strip();
            java.util.regex.Matcher m = RUSSIAN.matcher(t);
            if (m.matches()) {
                return LocalDate.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1)));
            }
            return LocalDate.parse(t);
        }
    }
}
