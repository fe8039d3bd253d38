package io.orbita.audience;

import io.orbita.platform.DashboardFigures;
import io.orbita.platform.WorkspaceId;
import java.util.List;
import org.springframework.stereotype.Component;

/** The audience's tiles on the home page. */
@Component
class AudienceFigures implements DashboardFigures {

    private final Contacts contacts;
    private final Companies companies;

    AudienceFigures(Contacts contacts, Companies companies) {
        this.contacts = contacts;
        this.companies = companies;
    }

    @Override
    public List<Figure> figures(WorkspaceId workspace) {
        return List.of(new Figure("nav.contacts", contacts.count(workspace), "/contacts"),
                new Figure("nav.companies", companies.count(workspace), "/companies"));
    }
}
