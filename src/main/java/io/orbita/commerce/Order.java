package io.orbita.commerce;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** An order of a contact and/or company, identified towards the outside by the shop's or CRM's external id. */
public record Order(long id, String externalId, Long contactId, Long companyId, Instant placedAt, OrderStatus status,
                    BigDecimal total, String currency, List<Line> lines, Instant createdAt, Instant updatedAt) {

    /** One position of an order; {@code productId} is set when the SKU is in the catalogue. */
    public record Line(int lineNo, Long productId, String sku, String name, BigDecimal quantity, BigDecimal price) {
    }
}
