package io.orbita.commerce;

import java.math.BigDecimal;
import java.time.Instant;

/** An item of the catalogue, known by its SKU. */
public record Product(long id, String sku, String name, String category, BigDecimal price, String currency,
                      boolean active, Instant createdAt, Instant updatedAt) {
}
