package io.orbita.commerce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A subscription or service contract with its renewal date: what renewal reminders and churn are computed from.
 *
 * @param period how often {@code amount} is paid: month, quarter, year or once
 * @param status trial, active, expired or cancelled
 */
public record Contract(long id, String externalId, Long contactId, Long companyId, String plan, LocalDate startsOn,
                       LocalDate renewsOn, BigDecimal amount, String period, String currency, String status,
                       Instant createdAt, Instant updatedAt) {

    public static final java.util.Set<String> PERIODS = java.util.Set.of("month", "quarter", "year", "once");
    public static final java.util.Set<String> STATUSES = java.util.Set.of("trial", "active", "expired", "cancelled");
}
