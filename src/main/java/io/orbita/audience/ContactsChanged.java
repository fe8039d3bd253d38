package io.orbita.audience;

import io.orbita.platform.WorkspaceId;
import java.util.List;

/** Published after contacts were created or their data or consent changed, for segments that re-evaluate them. */
public record ContactsChanged(WorkspaceId workspace, List<Long> contactIds) {
}
