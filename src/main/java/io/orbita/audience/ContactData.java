package io.orbita.audience;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The editable state of a contact, validated and normalized: what the database stores. */
public record ContactData(String email, String firstName, String lastName, String middleName, String position,
                          String phone, LocalDate birthday, Long companyId, ContactType type, String sourceLabel,
                          SourceKind sourceKind, Long managerId, List<String> tags, Map<String, Object> customFields) {

    public ContactData {
        tags = tags == null ? List.of() : List.copyOf(tags);
        // Values may be null (a field being cleared), which Map.copyOf refuses. Most contacts have none: an import builds
        // this record several times per row, and an empty copy each time was a twentieth of what the import allocated.
        customFields = customFields == null || customFields.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(customFields));
    }

    private static final ContactData EMPTY = new ContactData(null, null, null, null, null, null, null, null, null, null, null,
            null, List.of(), Map.of());

    /** A contact with nothing filled in (immutable, so one for all). */
    static ContactData empty() {
        return EMPTY;
    }
}
