package io.orbita.segments;

/** A checked condition ready to be written as a boolean SQL expression about the contact {@code c}. */
@FunctionalInterface
public interface Predicate {

    void appendTo(Sql sql);
}
