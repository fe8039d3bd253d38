package io.orbita.content.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import liqp.TemplateContext;
import liqp.filters.Filter;

/**
 * Filters Russian B2B letters need and Liquid lacks: amounts as "4 882 704 ₽", dates as "5 марта 2026", and plural
 * forms ("3 товара", "5 товаров"). Plus {@code h}, the HTML escape every output of an HTML part goes through, and
 * {@code raw}, its explicit opt-out.
 */
final class RussianFilters {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final Locale RU = Locale.forLanguageTag("ru");
    private static final Map<String, String> SYMBOLS = Map.of("RUB", "₽", "USD", "$", "EUR", "€", "KZT", "₸", "BYN", "Br", "CNY", "¥");

    private RussianFilters() {
    }

    static List<Filter> all() {
        return List.of(new Html(), new Raw(), new MoneyFilter(), new RuDate(), new Plural());
    }

    static String escapeHtml(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (rep != null) {
                    out.append(rep);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    static String money(Object value, String currency) {
        BigDecimal amount = decimal(value);
        if (amount == null) {
            return "";
        }
        DecimalFormatSymbols symbols = new DecimalFormatSymbols(RU);
        symbols.setGroupingSeparator('\u00a0');
        symbols.setDecimalSeparator(',');
        boolean whole = amount.stripTrailingZeros().scale() <= 0;
        DecimalFormat f = new DecimalFormat(whole ? "#,##0" : "#,##0.00", symbols);
        String code = currency == null || currency.isBlank() ? "RUB" : currency.strip().toUpperCase(Locale.ROOT);
        return f.format(amount.setScale(whole ? 0 : 2, RoundingMode.HALF_UP)) + "\u00a0" + SYMBOLS.getOrDefault(code, code);
    }

    private static BigDecimal decimal(Object value) {
        return switch (value) {
            case null -> null;
            case BigDecimal b -> b;
            case Number n -> new BigDecimal(n.toString());
            default -> {
                try {
                    yield new BigDecimal(value.toString().strip().replace(',', '.').replace(" ", "").replace("\u00a0", ""));
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
        };
    }

    static String ruDate(Object value, String pattern) {
        TemporalAccessor t = switch (value) {
            case null -> null;
            case LocalDate d -> d;
            case LocalDateTime d -> d;
            case ZonedDateTime z -> z.withZoneSameInstant(MOSCOW);
            case OffsetDateTime o -> o.atZoneSameInstant(MOSCOW);
            case Instant i -> i.atZone(MOSCOW);
            case TemporalAccessor other -> other;
            default -> {
                try {
                    yield LocalDate.parse(value.toString().strip().substring(0, Math.min(10, value.toString().strip().length())));
                } catch (RuntimeException e) {
                    yield null;
                }
            }
        };
        if (t == null) {
            return "";
        }
        // "d MMMM yyyy" in the Russian locale gives the genitive month: "5 марта 2026".
        return DateTimeFormatter.ofPattern(pattern == null || pattern.isBlank() ? "d MMMM yyyy" : pattern, RU).format(t);
    }

    static String plural(Object value, String forms) {
        BigDecimal n = decimal(value);
        String[] f = forms == null ? new String[0] : forms.split("[|,]");
        if (n == null || f.length < 3) {
            return f.length > 0 ? f[f.length - 1].strip() : "";
        }
        if (n.stripTrailingZeros().scale() > 0) {
            return f[1].strip();
        }
        long v = n.abs().longValue();
        long mod10 = v % 10;
        long mod100 = v % 100;
        if (mod10 == 1 && mod100 != 11) {
            return f[0].strip();
        }
        if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) {
            return f[1].strip();
        }
        return f[2].strip();
    }

    private static String str(Object[] params, int i) {
        return params.length > i && params[i] != null ? params[i].toString() : null;
    }

    static final class Html extends Filter {
        Html() {
            super("h");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (value == null) {
                return "";
            }
            if (value instanceof Number || value instanceof Boolean) {
                return value;
            }
            return escapeHtml(asString(value, context));
        }
    }

    static final class Raw extends Filter {
        Raw() {
            super("raw");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            return value;
        }
    }

    /** {@code {{ order.total | money }}} → "4 882 704 ₽"; {@code | money: 'USD'} for another currency. */
    static final class MoneyFilter extends Filter {
        MoneyFilter() {
            super("money");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            return money(value, str(params, 0));
        }
    }

    /** {@code {{ contact.birthday | ru_date }}} → "5 марта"... with a pattern: {@code | ru_date: 'd MMMM'}. */
    static final class RuDate extends Filter {
        RuDate() {
            super("ru_date");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            return ruDate(value, str(params, 0));
        }
    }

    /** {@code {{ n }} {{ n | plural: 'товар|товара|товаров' }}}: the Russian form for one, few and many. */
    static final class Plural extends Filter {
        Plural() {
            super("plural");
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            return plural(value, str(params, 0));
        }
    }
}
