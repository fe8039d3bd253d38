package io.orbita.workspace;

import io.orbita.platform.WorkspaceId;

/** Published when a workspace is created, for modules that give every workspace a starting set (built-in segments). */
public record WorkspaceCreated(WorkspaceId workspace) {
}
