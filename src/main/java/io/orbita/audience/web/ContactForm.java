package io.orbita.audience.web;

import io.orbita.audience.Contact;
import io.orbita.audience.ContactInput;
import io.orbita.audience.CustomField;
import io.orbita.platform.Problems;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contact edit form's fields as submitted (all strings, so a rejected form shows exactly what the user typed).
 * Custom field inputs are named {@code cf.<key>}.
 */
public record ContactForm(String email, String firstName, String lastName, String middleName, String position,
                          String phone, String birthday, String companyName, String type, String sourceLabel,
                          String sourceKind, String managerId, String tags, String consentStatus,
                          Map<String, String> custom) {

    static ContactForm blank() {
        return new ContactForm("", "", "", "", "", "", "", "", "", "", "manual", "", "", "subscribed", Map.of());
    }

    static ContactForm of(Contact c) {
        Map<String, String> custom = new LinkedHashMap<>();
        c.customFields().forEach((k, v) -> custom.put(k, v == null ? "" : v.toString()));
        return new ContactForm(c.email(), s(c.firstName()), s(c.lastName()), s(c.middleName()), s(c.position()),
                s(c.phone()), c.birthday() == null ? "" : c.birthday().toString(), s(c.companyName()),
                c.type() == null ? "" : c.type().code(), s(c.sourceLabel()), c.sourceKind() == null ? "" : c.sourceKind().code(),
                c.managerId() == null ? "" : c.managerId().toString(), String.join(", ", c.tags()),
                c.consentStatus().code(), custom);
    }

    static ContactForm from(Map<String, String> params) {
        Map<String, String> custom = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (k.startsWith("cf.")) {
                custom.put(k.substring(3), v);
            }
        });
        return new ContactForm(p(params, "email"), p(params, "firstName"), p(params, "lastName"), p(params, "middleName"),
                p(params, "position"), p(params, "phone"), p(params, "birthday"), p(params, "companyName"), p(params, "type"),
                p(params, "sourceLabel"), p(params, "sourceKind"), p(params, "managerId"), p(params, "tags"),
                p(params, "consentStatus"), custom);
    }

    /** Every field of the form is present, so an emptied input clears the field. */
    ContactInput toInput(Long companyId, List<CustomField> fields, Problems problems) {
        Long manager = null;
        if (!managerId.isBlank()) {
            try {
                manager = Long.parseLong(managerId.strip());
            } catch (NumberFormatException e) {
                problems.add("managerId", "manager.unknown", "the manager must be a member of this workspace");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (CustomField f : fields) {
            values.put(f.key(), custom.getOrDefault(f.key(), ""));
        }
        List<String> tagList = Arrays.stream(tags.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        return new ContactInput(Optional.of(email), opt(firstName), opt(lastName), opt(middleName), opt(position),
                opt(phone), opt(birthday), Optional.ofNullable(companyId), opt(type), opt(sourceLabel), opt(sourceKind),
                Optional.ofNullable(manager), Optional.of(tagList), Optional.of(values), opt(consentStatus));
    }

    private static Optional<String> opt(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }

    private static String p(Map<String, String> params, String name) {
        String v = params.get(name);
        return v == null ? "" : v;
    }
}
