package io.orbita.activity;

import io.orbita.platform.WorkspaceId;
import java.util.List;

/**
 * Published once per stored batch (events of known contacts only), for the modules that react to behaviour (carts today, segments and
 * journeys later). One publication per batch rather than per event keeps the event registry small at high rates.
 */
public record EventsRecorded(WorkspaceId workspace, List<ActivityEvent> events) {

    /**
     * Whether the batch holds an event of one of these types. Listeners interested in a few types say so in their
     * {@code condition}: the event registry then stores no publication for them at all for the other batches (site
     * traffic is mostly page views), instead of storing, starting and completing one that does nothing.
     */
    public boolean includesAny(String... types) {
        for (ActivityEvent e : events) {
            for (String t : types) {
                if (t.equals(e.type())) {
                    return true;
                }
            }
        }
        return false;
    }
}
