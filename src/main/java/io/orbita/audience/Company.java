package io.orbita.audience;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/** A client organisation: its contacts are its employees. */
public record Company(long id, String name, String inn, String industry, CompanySize size, String website,
                      LocalDate foundedOn, LocalDate cooperationStartedOn, Long managerId, String managerName,
                      Map<String, Object> customFields, long contactCount, Instant createdAt, Instant updatedAt) {

    CompanyData data() {
        return new CompanyData(name, inn, industry, size, website, foundedOn, cooperationStartedOn, managerId, customFields);
    }

    /** The editable state of a company, validated and normalized. */
    record CompanyData(String name, String inn, String industry, CompanySize size, String website, LocalDate foundedOn,
                       LocalDate cooperationStartedOn, Long managerId, Map<String, Object> customFields) {

        static CompanyData empty() {
            return new CompanyData(null, null, null, null, null, null, null, null, Map.of());
        }
    }
}
