package io.orbita.commerce;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A client's purchases in figures, counting only orders that are purchases (not cancelled or refunded).
 *
 * @param averageCheck revenue / orders, null without orders
 */
public record PurchaseSummary(long orders, BigDecimal revenue, BigDecimal averageCheck, Instant firstPurchase,
                              Instant lastPurchase) {
}
