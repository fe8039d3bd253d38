package io.orbita.audience;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** A contact as it is read: its data plus the names of its company and personal manager, and its consent status. */
public record Contact(long id, String email, String firstName, String lastName, String middleName, String position,
                      String phone, LocalDate birthday, Long companyId, String companyName, ContactType type,
                      String sourceLabel, SourceKind sourceKind, Long managerId, String managerName, List<String> tags,
                      Map<String, Object> customFields, ConsentStatus consentStatus, Instant createdAt,
                      Instant updatedAt) {

    /** "Иван Петров", or the email when the contact has no name yet. */
    public String displayName() {
        String name = ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).strip();
        return name.isEmpty() ? email : name;
    }

    public ContactData data() {
        return new ContactData(email, firstName, lastName, middleName, position, phone, birthday, companyId, type,
                sourceLabel, sourceKind, managerId, tags, customFields);
    }
}
