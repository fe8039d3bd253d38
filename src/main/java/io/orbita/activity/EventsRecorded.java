package io.orbita.activity;

import io.orbita.platform.WorkspaceId;
import java.util.List;

/**
 * Published once per stored batch (events of known contacts only), for the modules that react to behaviour (carts today, segments and
 * journeys later). One publication per batch rather than per event keeps the event registry small at high rates.
 */
public record EventsRecorded(WorkspaceId workspace, List<ActivityEvent> events) {
}
