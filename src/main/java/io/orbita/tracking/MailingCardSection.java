package io.orbita.tracking;

import io.orbita.platform.CardSections;
import io.orbita.platform.WorkspaceId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** On the contact card: which kinds of mailing the contact dropped and when it last engaged with a letter. */
@Component
@Order(15)
class MailingCardSection implements CardSections {

    private final Preferences preferences;
    private final Engagement engagement;

    MailingCardSection(Preferences preferences, Engagement engagement) {
        this.preferences = preferences;
        this.engagement = engagement;
    }

    @Override
    public List<Section> forContact(WorkspaceId ws, long contactId) {
        Set<MailingKind> dropped = preferences.dropped(ws, contactId);
        Map<String, Object> model = new HashMap<>();
        model.put("dropped", MailingKind.CHOOSABLE.stream().filter(dropped::contains).map(MailingKind::code).toList());
        model.put("kept", MailingKind.CHOOSABLE.stream().filter(k -> !dropped.contains(k)).map(MailingKind::code).toList());
        engagement.lastEngagedAt(ws, contactId).ifPresent(at -> model.put("lastEngagedAt", at));
        return List.of(new Section("tracking/card-section", model));
    }

    @Override
    public List<Section> forCompany(WorkspaceId ws, long companyId) {
        return List.of();
    }
}
