package io.orbita.demo;

import java.util.Locale;

/**
 * How much data to generate. {@link #DEMO} fills a workspace someone is trying out; {@link #BENCH} is the data set every
 * benchmark runs against. Tests use small custom scales.
 */
public record Scale(String name, int contacts, int companies, long orders, long events, int products) {

    public static final Scale DEMO = new Scale("demo", 2_000, 250, 6_000, 40_000, 300);
    public static final Scale BENCH = new Scale("bench", 1_000_000, 100_000, 5_000_000, 20_000_000, 300);

    public Scale {
        if (contacts < 1 || companies < 1 || orders < 0 || events < 0 || products < 10) {
            throw new IllegalArgumentException("a scale needs contacts, companies and at least 10 products");
        }
        if (companies > 9_000_000) {
            throw new IllegalArgumentException("at most 9,000,000 companies (INNs are unique per workspace)");
        }
    }

    public static Scale of(int contacts, int companies, long orders, long events) {
        return new Scale("custom", contacts, companies, orders, events, 300);
    }

    /** {@code demo} or {@code bench}; null for anything else. */
    public static Scale named(String name) {
        return switch (name == null ? "" : name.strip().toLowerCase(Locale.ROOT)) {
            case "demo" -> DEMO;
            case "bench" -> BENCH;
            default -> null;
        };
    }
}
