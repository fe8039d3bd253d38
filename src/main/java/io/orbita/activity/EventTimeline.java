package io.orbita.activity;

import io.orbita.platform.TimelineSource;
import io.orbita.platform.WorkspaceId;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/** Site and API events on the contact timeline. */
@Component
class EventTimeline implements TimelineSource {

    private final Events events;

    EventTimeline(Events events) {
        this.events = events;
    }

    @Override
    public List<Entry> entries(WorkspaceId workspace, long contactId, Instant notAfter, int limit) {
        return events.ofContact(workspace, contactId, notAfter, limit).stream()
                .map(e -> new Entry(e.occurredAt(), "event", e.type(), e.id(), e.type(), e.properties()))
                .toList();
    }
}
