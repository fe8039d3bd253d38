package io.orbita.activity;

import io.orbita.platform.CardSections;
import io.orbita.platform.WorkspaceId;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The latest timeline entries on the contact card. */
@Component
@org.springframework.core.annotation.Order(20)
class TimelineCardSection implements CardSections {

    private final Timeline timeline;

    TimelineCardSection(Timeline timeline) {
        this.timeline = timeline;
    }

    @Override
    public List<Section> forContact(WorkspaceId ws, long contactId) {
        var page = timeline.of(ws, contactId, null, 30);
        return List.of(new Section("activity/timeline-section", Map.of("entries", page.items(), "more", page.nextCursor() != null,
                "contactId", contactId)));
    }

    @Override
    public List<Section> forCompany(WorkspaceId ws, long companyId) {
        return List.of();
    }
}
