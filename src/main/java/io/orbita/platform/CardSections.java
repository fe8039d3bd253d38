package io.orbita.platform;

import java.util.List;
import java.util.Map;

/**
 * A module's section on a contact or company card (purchases, later letters and surveys). The card renders each
 * section's Thymeleaf fragment {@code template :: section(model)}, so the audience pages need not know the
 * modules that add to them.
 */
public interface CardSections {

    /** @param template a template holding a fragment named {@code section}; @param model its variables */
    record Section(String template, Map<String, Object> model) {
    }

    List<Section> forContact(WorkspaceId workspace, long contactId);

    List<Section> forCompany(WorkspaceId workspace, long companyId);
}
