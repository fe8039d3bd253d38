package io.orbita.audience;

import io.orbita.platform.Problems;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Applies a {@link ContactInput} to a contact's current data: validation and normalization in one pure function. */
final class ContactRules {

    static final String TYPES = Arrays.stream(ContactType.values()).map(ContactType::code).collect(Collectors.joining(", "));
    static final String SOURCE_KINDS = Arrays.stream(SourceKind.values()).map(SourceKind::code).collect(Collectors.joining(", "));
    static final String CONSENTS = Arrays.stream(ConsentStatus.values()).map(ConsentStatus::code).collect(Collectors.joining(", "));

    private ContactRules() {
    }

    /**
     * @param base the current data ({@link ContactData#empty()} for a new contact)
     * @return the new data; meaningful only when {@code problems} stayed empty
     */
    static ContactData apply(ContactData base, ContactInput in, CustomFields.Schema schema,
                             java.util.function.Function<String, AddressCheck> addresses, LocalDate today, Problems p) {
        String email = base.email();
        if (in.email() != null) {
            // The same validator as imports and the validation API: an address Orbita would never send to is refused
            // here, so no contact exists that looks sendable but is not. Risky addresses (info@) are kept.
            AddressCheck check = addresses.apply(in.email().orElse(null));
            if (check.verdict() != AddressCheck.Verdict.INVALID) {
                email = check.normalized();
            } else if (in.email().map(String::isBlank).orElse(true)) {
                p.add("email", "email.required", "email is required");
            } else {
                p.add("email", "email." + check.reason().code(), check.reason().message());
            }
        } else if (email == null) {
            p.add("email", "email.required", "email is required");
        }
        return new ContactData(
                email,
                FieldRules.text(in.firstName(), base.firstName(), "firstName", 100, p),
                FieldRules.text(in.lastName(), base.lastName(), "lastName", 100, p),
                FieldRules.text(in.middleName(), base.middleName(), "middleName", 100, p),
                FieldRules.text(in.position(), base.position(), "position", FieldRules.MAX_TEXT, p),
                FieldRules.phone(in.phone(), base.phone(), p),
                FieldRules.date(in.birthday(), base.birthday(), "birthday", today, p),
                FieldRules.value(in.companyId(), base.companyId()),
                FieldRules.code(in.type(), base.type(), "type", ContactType::fromCode, TYPES, p),
                FieldRules.text(in.sourceLabel(), base.sourceLabel(), "sourceLabel", FieldRules.MAX_TEXT, p),
                FieldRules.code(in.sourceKind(), base.sourceKind(), "sourceKind", SourceKind::fromCode, SOURCE_KINDS, p),
                FieldRules.value(in.managerId(), base.managerId()),
                FieldRules.tags(in.tags(), base.tags(), p),
                FieldRules.customFields(in.customFields(), base.customFields(), schema, p));
    }

    /** The consent status the input asks for, or null when it does not mention consent. */
    static ConsentStatus consent(ContactInput in, Problems p) {
        if (in.consentStatus() == null) {
            return null;
        }
        if (in.consentStatus().map(String::isBlank).orElse(true)) {
            p.add("consentStatus", "code.unknown", "must be one of: " + CONSENTS, CONSENTS);
            return null;
        }
        return FieldRules.code(in.consentStatus(), null, "consentStatus", ConsentStatus::fromCode, CONSENTS, p);
    }
}
