package io.orbita.segments;

import io.orbita.platform.WorkspaceId;
import java.time.Instant;
import java.util.List;

/**
 * Contacts entered or left a segment or list (at most 1,000 of each per publication), for journeys that start on
 * "entered segment". The same changes are kept in {@code segment_membership_change}.
 */
public record SegmentMembershipChanged(WorkspaceId workspace, long segmentId, List<Long> entered, List<Long> left,
                                       Instant at) {
}
