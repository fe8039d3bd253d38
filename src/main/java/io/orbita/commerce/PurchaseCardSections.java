package io.orbita.commerce;

import io.orbita.platform.CardSections;
import io.orbita.platform.WorkspaceId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The "Purchases" section of contact and company cards: lifetime figures, latest orders, contracts, and on a contact's
 * card the current cart.
 */
@Component
@org.springframework.core.annotation.Order(10)
class PurchaseCardSections implements CardSections {

    private static final String TEMPLATE = "commerce/purchases-section";

    private final Orders orders;
    private final Contracts contracts;
    private final Carts carts;

    PurchaseCardSections(Orders orders, Contracts contracts, Carts carts) {
        this.orders = orders;
        this.contracts = contracts;
        this.carts = carts;
    }

    /** A cart line as the card shows it; quantity and price are null when the event did not give a number. */
    record CartLine(String item, java.math.BigDecimal quantity, java.math.BigDecimal price) {
    }

    @Override
    public List<Section> forContact(WorkspaceId ws, long contactId) {
        return section(ws, "contact_id", contactId, carts.of(ws, contactId));
    }

    @Override
    public List<Section> forCompany(WorkspaceId ws, long companyId) {
        return section(ws, "company_id", companyId, Optional.empty());
    }

    private List<Section> section(WorkspaceId ws, String column, long id, Optional<Carts.Cart> cart) {
        return List.of(new Section(TEMPLATE, Map.of(
                "summary", orders.summary(ws, column, id),
                "orders", orders.recent(ws, column, id, 10),
                "contracts", contracts.of(ws, column, id),
                "cart", cart,
                "cartLines", cart.map(PurchaseCardSections::lines).orElse(List.of()))));
    }

    /** Lines come from the site's events as they were sent: show what is there, numbers as numbers. */
    private static List<CartLine> lines(Carts.Cart cart) {
        return cart.lines().stream().map(l -> new CartLine(
                String.valueOf(l.get("name") != null ? l.get("name") : l.getOrDefault("sku", "—")),
                number(l.getOrDefault("quantity", 1)), number(l.get("price")))).toList();
    }

    private static java.math.BigDecimal number(Object o) {
        try {
            return o == null ? null : new java.math.BigDecimal(o.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
