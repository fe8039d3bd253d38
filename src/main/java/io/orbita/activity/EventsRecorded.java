package io.orbita.activity;

import io.orbita.platform.WorkspaceId;
import java.util.List;

/**
 * Published once per stored batch (events of known contacts only), for the modules that react to behaviour. One
 * publication per batch rather than per event keeps the event registry small at high rates; for the same reason a
 * single durable listener (segments' membership upkeep) follows it and hands the batch to the carts of commerce
 * first: every further listener costs a registry row stored, started and completed per batch.
 */
public record EventsRecorded(WorkspaceId workspace, List<ActivityEvent> events) {
}
