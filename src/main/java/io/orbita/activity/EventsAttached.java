package io.orbita.activity;

import io.orbita.platform.WorkspaceId;
import java.util.List;

/**
 * Published when an identify attached earlier anonymous events of a visitor to a contact: they are the contact's now
 * (with its id), so what reads a contact's events (segments and their per-contact aggregates) takes them in. Unlike
 * {@link EventsRecorded} these are not new behaviour: a listener that reacts to what a contact just did (a journey
 * started by an event) should not start for them. Each event is attached once; big histories come in several
 * publications of at most {@value #CHUNK} events.
 */
public record EventsAttached(WorkspaceId workspace, long contactId, List<ActivityEvent> events) {

    public static final int CHUNK = 1000;
}
