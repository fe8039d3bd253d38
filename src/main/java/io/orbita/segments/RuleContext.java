package io.orbita.segments;

import io.orbita.platform.WorkspaceId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/**
 * What a condition needs to know while it is compiled: the workspace (every sub-query is scoped to it), "now" and
 * "today" in the workspace's time zone (fixed once per compilation, so one query sees one today), the custom fields
 * with their types, and the workspace's purchase cycle.
 *
 * @param contactFields custom field key to type code (text, number, date, boolean, choice) for contacts
 * @param companyFields the same for companies
 * @param fewContacts   true when the rule is evaluated for a handful of known contacts (incremental re-evaluation, the
 *                      membership test): aggregates are then looked up per contact through the indexes instead of
 *                      being computed for all contacts and joined
 */
public record RuleContext(WorkspaceId workspace, ZoneId zone, Instant now, LocalDate today,
                          Map<String, String> contactFields, Map<String, java.util.List<String>> contactOptions,
                          Map<String, String> companyFields, Map<String, java.util.List<String>> companyOptions,
                          int purchaseCycleDays, boolean fewContacts) {

    /** The same context for evaluating a handful of known contacts. */
    public RuleContext forFewContacts() {
        return new RuleContext(workspace, zone, now, today, contactFields, contactOptions, companyFields, companyOptions,
                purchaseCycleDays, true);
    }

    /** The start of a day in the workspace's time zone, as an instant to compare timestamps with. */
    public Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }
}
