package io.orbita.segments;

/**
 * One kind of rule condition ({@code "type": "purchase"}, {@code "event"}, ...). Kinds are Spring beans, so a module
 * that owns data (delivery and tracking for the engagement conditions) adds its conditions by declaring a bean,
 * without the rule compiler knowing it.
 */
public interface ConditionKind {

    /** What changes can change a condition's answer for a contact, so that contact is re-evaluated at once. */
    enum Source {
        /**
         * The contact's data or consent (unsubscribes, the preference centre, bounces and complaints included), or a new
         * contact: {@code ContactsChanged} (re-evaluates the contact in every segment).
         */
        CONTACT,
        /** The contact's orders: {@code OrderRecorded}. */
        ORDERS,
        /**
         * The contact's events in the activity log: {@code EventsRecorded}, and {@code EventsAttached} when an identify
         * gives the contact the earlier events of an anonymous visitor.
         */
        EVENTS,
        /** Human opens and clicks of the letters sent to the contact: tracking's {@code EngagementRecorded}. */
        ENGAGEMENT,
        /**
         * What came back from mail to the contact (replies, bounces, complaints) and the suppression of its address:
         * delivery's {@code ReturnedMailChanged}.
         */
        RETURNED_MAIL
    }

    /** The value of the node's {@code type} that selects this kind. */
    String type();

    /**
     * Checks the node (reporting every problem under its path through {@link ConditionNode}) and returns the compiled
     * predicate, or null when the node is invalid.
     */
    Predicate read(ConditionNode node, RuleContext context);

    /**
     * The changes that re-evaluate a contact at once. Conditions whose answer moves with time or with other contacts
     * (RFM quintiles, contract dates) return none and follow the periodic full refresh.
     */
    default java.util.Set<Source> reactsTo() {
        return java.util.EnumSet.allOf(Source.class);
    }
}
