package io.orbita.audience;

import io.orbita.platform.Problems;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Normalization shared by contacts and companies. Each method takes the three-state input field (null = absent), the
 * current value, and returns the new value, reporting problems instead of throwing so a form shows all of them.
 */
final class FieldRules {

    // Compiled once: an import runs these for every cell.
    private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("[ \\t]+");

    static final int MAX_TEXT = 200;
    static final int MAX_TAGS = 50;
    static final int MAX_TAG_LENGTH = 64;

    private FieldRules() {
    }

    /** Plain one-line text: trimmed, inner whitespace runs folded, no control characters (no CR/LF into mail headers). */
    static String text(Optional<String> in, String current, String field, int max, Problems p) {
        if (in == null) {
            return current;
        }
        String given = in.orElse(null);
        String v = given == null ? null : foldBlanks(strip(given));
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (hasControlChars(v)) {
            p.add(field, "field.controlChars", "must not contain line breaks or other control characters");
            return current;
        }
        if (v.length() > max) {
            p.add(field, "field.tooLong", "must be at most " + max + " characters", max);
            return current;
        }
        return v;
    }

    /**
     * {@link String#strip()}, without asking Unicode's tables about the first and last character when they cannot be
     * white space (Java's white space is ASCII's and a few characters from U+1680 up): for Cyrillic text those lookups
     * were most of the cost of an import cell's checks.
     */
    static String strip(String s) {
        if (s.isEmpty()) {
            return s;
        }
        char first = s.charAt(0);
        char last = s.charAt(s.length() - 1);
        return first > ' ' && first < '\u1680' && last > ' ' && last < '\u1680' ? s : s.strip();
    }

    /** Control characters are all in the first 160 code points, so a plain loop over chars finds them (imports: per cell). */
    static boolean hasControlChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs of spaces and tabs as one space; the regex runs only for the few values that have such a run (imports call
     * this per cell).
     */
    private static String foldBlanks(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == ' ' && i + 1 < s.length() && (s.charAt(i + 1) == ' ' || s.charAt(i + 1) == '\t')) {
                return BLANKS.matcher(s).replaceAll(" ");
            }
        }
        return s;
    }

    static String phone(Optional<String> in, String current, Problems p) {
        String v = text(in, current, "phone", 40, p);
        if (v == null || in == null) {
            return v;
        }
        // One pass instead of two regular expressions: imports call this per row.
        StringBuilder digitsOnly = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                digitsOnly.append(c);
            } else if ("+()-. ".indexOf(c) < 0) {
                p.add("phone", "phone.invalid", "phone may contain only digits, spaces, +, -, ( and )");
                return current;
            }
        }
        String digits = digitsOnly.toString();
        if (digits.length() < 5 || digits.length() > 15) {
            p.add("phone", "phone.invalid", "phone must have 5 to 15 digits");
            return current;
        }
        // Russian numbers arrive as 8XXXXXXXXXX, 7XXXXXXXXXX or +7 (XXX) XXX-XX-XX: store one form.
        boolean russian = digits.length() == 11
                && (v.startsWith("+7") || !v.startsWith("+") && (digits.startsWith("8") || digits.startsWith("7")));
        if (russian) {
            return "+7" + digits.substring(1);
        }
        return v.startsWith("+") ? "+" + digits : v;
    }

    static LocalDate date(Optional<String> in, LocalDate current, String field, LocalDate today, Problems p) {
        if (in == null) {
            return current;
        }
        String v = in.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (v == null) {
            return null;
        }
        try {
            LocalDate d = CustomFieldType.Dates.parse(v);
            if (d.getYear() < 1800 || d.isAfter(today)) {
                p.add(field, "date.range", "date must be between 1800 and today");
                return current;
            }
            return d;
        } catch (RuntimeException e) {
            p.add(field, "date.invalid", "must be a date as YYYY-MM-DD or DD.MM.YYYY");
            return current;
        }
    }

    static <E> E code(Optional<String> in, E current, String field, Function<String, E> parse, String allowed, Problems p) {
        if (in == null) {
            return current;
        }
        String v = in.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (v == null) {
            return null;
        }
        E e = parse.apply(v);
        if (e == null) {
            p.add(field, "code.unknown", "must be one of: " + allowed, allowed);
            return current;
        }
        return e;
    }

    static <T> T value(Optional<T> in, T current) {
        return in == null ? current : in.orElse(null);
    }

    static List<String> tags(Optional<List<String>> in, List<String> current, Problems p) {
        if (in == null) {
            return current;
        }
        List<String> result = new ArrayList<>();
        for (String raw : in.orElse(List.of())) {
            String t = raw == null ? "" : raw.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.length() > MAX_TAG_LENGTH || hasControlChars(t) || t.contains(",")) {
                p.add("tags", "tag.invalid", "a tag must be 1 to " + MAX_TAG_LENGTH + " characters without commas or line breaks", MAX_TAG_LENGTH);
                return current;
            }
            if (!hasTag(result, t)) {
                result.add(t);
            }
        }
        if (result.size() > MAX_TAGS) {
            p.add("tags", "tag.tooMany", "at most " + MAX_TAGS + " tags", MAX_TAGS);
            return current;
        }
        return result;
    }

    /** Tags are one whatever their case: "VIP" is already there when "vip" is. */
    static boolean hasTag(List<String> tags, String tag) {
        for (String t : tags) {
            if (t.equalsIgnoreCase(tag)) {
                return true;
            }
        }
        return false;
    }

    static Map<String, Object> customFields(Optional<Map<String, Object>> in, Map<String, Object> current,
                                            CustomFields.Schema schema, Problems p) {
        if (in == null) {
            return current;
        }
        Map<String, Object> changes = in.orElse(null);
        if (changes == null) {
            return Map.of();
        }
        return schema.apply(current, new LinkedHashMap<>(changes), p);
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
