package io.orbita.commerce;

import io.orbita.platform.CardSections;
import io.orbita.platform.WorkspaceId;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The "Purchases" section of contact and company cards: lifetime figures, latest orders, contracts. */
@Component
@org.springframework.core.annotation.Order(10)
class PurchaseCardSections implements CardSections {

    private static final String TEMPLATE = "commerce/purchases-section";

    private final Orders orders;
    private final Contracts contracts;

    PurchaseCardSections(Orders orders, Contracts contracts) {
        this.orders = orders;
        this.contracts = contracts;
    }

    @Override
    public List<Section> forContact(WorkspaceId ws, long contactId) {
        return section(ws, "contact_id", contactId);
    }

    @Override
    public List<Section> forCompany(WorkspaceId ws, long companyId) {
        return section(ws, "company_id", companyId);
    }

    private List<Section> section(WorkspaceId ws, String column, long id) {
        return List.of(new Section(TEMPLATE, Map.of(
                "summary", orders.summary(ws, column, id),
                "orders", orders.recent(ws, column, id, 10),
                "contracts", contracts.of(ws, column, id))));
    }
}
