package io.orbita.tracking;

import io.orbita.platform.WorkspaceId;
import io.orbita.segments.ConditionDataChanged;
import io.orbita.segments.ConditionKind;
import java.util.List;

/**
 * Module event: human opens or clicks of these contacts were stored (or clicks of theirs were found to be a link
 * scanner's and no longer count). Published once per stored batch of hits and workspace, after the hits are committed,
 * with each contact once; machine hits alone publish nothing, since no condition counts them. Segments re-evaluate
 * the contacts in the segments with engagement conditions.
 */
public record EngagementRecorded(WorkspaceId workspace, List<Long> contactIds) implements ConditionDataChanged {

    @Override
    public ConditionKind.Source source() {
        return ConditionKind.Source.ENGAGEMENT;
    }
}
