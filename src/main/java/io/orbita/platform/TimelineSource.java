package io.orbita.platform;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A module's entries on a contact's timeline (site events, orders, consent changes, later letters). The timeline merges
 * all sources newest first, so no module needs to know the others.
 */
public interface TimelineSource {

    /**
     * One thing that happened to a contact.
     *
     * @param kind   what sort of entry: event, order, consent...
     * @param type   the precise type within the kind (page_viewed, paid, unsubscribed...)
     * @param id     unique within the kind, used to order entries of the same instant
     */
    record Entry(Instant at, String kind, String type, long id, String title, Map<String, Object> details) {
    }

    /** Entries at or before {@code notAfter}, newest first, at most {@code limit}. */
    List<Entry> entries(WorkspaceId workspace, long contactId, Instant notAfter, int limit);
}
