package io.orbita.commerce;

import io.orbita.audience.Companies;
import io.orbita.audience.Contacts;
import io.orbita.platform.Problems;
import io.orbita.platform.WorkspaceId;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Who an order or a contract belongs to: a contact (by id or email) and/or a company, checked to exist in the
 * workspace. Fields the input leaves out keep the current values.
 */
@Component
class Clients {

    /** The resolved client; both may be null only when problems were reported. */
    record Client(Long contactId, Long companyId) {
    }

    private final Contacts contacts;
    private final Companies companies;

    Clients(Contacts contacts, Companies companies) {
        this.contacts = contacts;
        this.companies = companies;
    }

    Client resolve(WorkspaceId ws, Client current, Optional<Long> contactId, Optional<String> contactEmail,
                   Optional<Long> companyId, String what, Problems p) {
        Long contact = current == null ? null : current.contactId();
        if (contactId != null) {
            contact = contactId.orElse(null);
            if (contact != null && !contacts.exists(ws, contact)) {
                p.add("contactId", "contact.unknown", "no such contact in this workspace");
            }
        }
        if (contactEmail != null && contactEmail.isPresent()) {
            contact = contacts.findIdByEmail(ws, contactEmail.get());
            if (contact == null) {
                p.add("contactEmail", "contact.unknown", "no contact with this email in this workspace; create it first");
            }
        }
        Long company = current == null ? null : current.companyId();
        if (companyId != null) {
            company = companyId.orElse(null);
            if (company != null && !companies.exists(ws, company)) {
                p.add("companyId", "company.unknown", "no such company in this workspace");
            }
        }
        if (contact == null && company == null && p.isEmpty()) {
            p.add("contactId", "order.noClient", what + " needs contactId, contactEmail or companyId");
        }
        return new Client(contact, company);
    }
}
