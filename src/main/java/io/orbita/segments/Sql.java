package io.orbita.segments;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL text with its bind values, built together so a rule value can only ever reach the database as a bind
 * parameter. The contact being tested is always the alias {@code c}; sub-queries take fresh aliases from
 * {@link #alias(String)} so nested conditions never capture each other's tables.
 */
public final class Sql {

    private final StringBuilder text = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private int aliases;

    /** Appends trusted SQL text (keywords, column names chosen by the compiler, never user input). */
    public Sql append(String sql) {
        text.append(sql);
        return this;
    }

    /** Appends a placeholder for the value. */
    public Sql bind(Object value) {
        text.append('?');
        params.add(value);
        return this;
    }

    /** Appends another piece built the same way, its bind values after the ones already here. */
    public Sql append(Sql other) {
        text.append(other.text);
        params.addAll(other.params);
        return this;
    }

    public String alias(String base) {
        return base + (++aliases);
    }

    public String text() {
        return text.toString();
    }

    public List<Object> params() {
        return List.copyOf(params);
    }
}
