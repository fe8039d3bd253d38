package io.orbita.segments;

/**
 * One kind of rule condition ({@code "type": "purchase"}, {@code "event"}, ...). Kinds are Spring beans, so a module
 * that owns data (delivery and tracking for the engagement conditions) adds its conditions by declaring a bean,
 * without the rule compiler knowing it.
 */
public interface ConditionKind {

    /** The value of the node's {@code type} that selects this kind. */
    String type();

    /**
     * Checks the node (reporting every problem under its path through {@link ConditionNode}) and returns the compiled
     * predicate, or null when the node is invalid.
     */
    Predicate read(ConditionNode node, RuleContext context);
}
