package io.orbita.tracking;

import io.orbita.platform.WorkspaceId;
import io.orbita.segments.ConditionDataChanged;
import io.orbita.segments.ConditionKind;
import java.util.List;

/**
 * Module event: human opens or clicks of these contacts were stored (or clicks of theirs were found to be a link
 * scanner's and no longer count). Published by the hit writer at most about once a second per node and workspace for
 * all the hits stored since (a few thousand contacts at most per event), each contact once, in the transaction of a
 * batch of hits, so listeners run once the hits are committed; machine hits alone publish nothing, since no condition
 * counts them. Segments re-evaluate the contacts in the segments with engagement conditions.
 */
public record EngagementRecorded(WorkspaceId workspace, List<Long> contactIds) implements ConditionDataChanged {

    @Override
    public ConditionKind.Source source() {
        return ConditionKind.Source.ENGAGEMENT;
    }
}
