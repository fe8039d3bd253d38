package io.orbita.delivery;

import io.orbita.platform.WorkspaceId;
import io.orbita.segments.ConditionDataChanged;
import io.orbita.segments.ConditionKind;
import java.util.List;

/**
 * Module event: what came back from mail to these contacts changed (a reply, a bounce, a complaint, once the message's
 * state says so), or the suppression of their addresses was changed by a person (added, imported, removed). Segments
 * re-evaluate the contacts in the segments with "replied" or "bounced" conditions.
 */
public record ReturnedMailChanged(WorkspaceId workspace, List<Long> contactIds) implements ConditionDataChanged {

    @Override
    public ConditionKind.Source source() {
        return ConditionKind.Source.RETURNED_MAIL;
    }
}
