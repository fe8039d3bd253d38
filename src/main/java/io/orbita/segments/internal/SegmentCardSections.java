package io.orbita.segments.internal;

import io.orbita.platform.CardSections;
import io.orbita.platform.WorkspaceId;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The "Segments" section of the contact card: the segments and lists the contact is in now (stored membership). */
@Component
@org.springframework.core.annotation.Order(30)
class SegmentCardSections implements CardSections {

    /** One segment or list of the contact. */
    record Membership(long id, String kind, String name, String builtIn, java.time.Instant since) {
    }

    private final JdbcClient jdbc;

    SegmentCardSections(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Section> forContact(WorkspaceId ws, long contactId) {
        List<Membership> in = jdbc.sql("""
                        select s.id, s.kind, s.name, s.built_in, m.since from segment s
                        join segment_member m on m.workspace_id = s.workspace_id and m.segment_id = s.id and m.contact_id = ?
                        where s.workspace_id = ? order by s.kind desc, s.name limit 200""")
                // Through the workspace's segments: memberships are keyed by segment, not by contact.
                .params(contactId, ws.value())
                .query((rs, n) -> new Membership(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant())).list();
        return List.of(new Section("segments/card-section", Map.of("memberships", in)));
    }

    @Override
    public List<Section> forCompany(WorkspaceId ws, long companyId) {
        return List.of();
    }
}
