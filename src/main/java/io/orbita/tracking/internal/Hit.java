package io.orbita.tracking.internal;

import io.orbita.platform.WorkspaceId;
import java.time.Instant;

/** One open or click as it will be stored: already judged, with the client's network rather than its address. */
public record Hit(WorkspaceId workspace, long messageId, Long contactId, String kind, String url, Instant at,
                  String userAgent, String ipNetwork, boolean machine, String machineReason, String via) {

    public static final String OPEN = "open";
    public static final String CLICK = "click";
}
