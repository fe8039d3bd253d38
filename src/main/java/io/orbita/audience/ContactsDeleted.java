package io.orbita.audience;

import io.orbita.platform.WorkspaceId;
import java.util.List;

/**
 * Published in the deleting transaction just before the contacts' rows go. Synchronous listeners remove what refers to
 * the contacts without a foreign key (segments: its per-contact aggregates, membership and its history) in that same
 * transaction, all or nothing with the deletion, while the rows still say what they were in.
 */
public record ContactsDeleted(WorkspaceId workspace, List<Long> contactIds) {
}
