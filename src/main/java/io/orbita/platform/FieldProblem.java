package io.orbita.platform;

import java.util.List;

/**
 * One thing wrong with one field of the input. {@code code} is a stable machine code that doubles as the message key
 * in the UI bundles; {@code message} is the English text the API returns; {@code args} fill the message's placeholders.
 */
public record FieldProblem(String field, String code, String message, List<Object> args) {

    public FieldProblem {
        args = args == null ? List.of() : List.copyOf(args);
    }

    public static FieldProblem of(String field, String code, String message, Object... args) {
        return new FieldProblem(field, code, message, List.of(args));
    }

    /** The same problem reported under a prefixed path, e.g. {@code items[3].email}. */
    public FieldProblem under(String prefix) {
        return new FieldProblem(field == null ? prefix : prefix + "." + field, code, message, args);
    }
}
