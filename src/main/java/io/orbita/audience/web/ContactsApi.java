package io.orbita.audience.web;

import io.orbita.audience.ConsentEvent;
import io.orbita.audience.ConsentStatus;
import io.orbita.audience.Contact;
import io.orbita.audience.ContactFilter;
import io.orbita.audience.ContactInput;
import io.orbita.audience.ContactType;
import io.orbita.audience.Contacts;
import io.orbita.platform.Bulk;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.Page;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/contacts")
@Tag(name = "Contacts", description = "People at client companies: profile, company, personal manager, tags, custom fields and consent.")
class ContactsApi {

    /** A bulk upsert request. */
    record BulkRequest(List<ContactInput> items) {
    }

    private final Contacts contacts;

    ContactsApi(Contacts contacts) {
        this.contacts = contacts;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "List contacts", description = """
            Newest first, keyset-paginated: pass the returned nextCursor as cursor for the next page (null on the last
            page). Filters combine with AND; q matches a substring of email and names.""")
    Page<Contact> list(@AuthenticationPrincipal OrbitaPrincipal me,
                       @RequestParam(required = false) String q,
                       @RequestParam(required = false) String email,
                       @RequestParam(required = false) Long companyId,
                       @RequestParam(required = false) String tag,
                       @Parameter(description = "private_person, corporate_client, partner, media, supplier")
                       @RequestParam(required = false) String type,
                       @Parameter(description = "subscribed, unsubscribed, bounced, complained")
                       @RequestParam(required = false) String consent,
                       @RequestParam(required = false) Long managerId,
                       @RequestParam(required = false) String cursor,
                       @Parameter(description = "1 to 500, default 50") @RequestParam(required = false) Integer limit) {
        ContactFilter filter = new ContactFilter(q, email, companyId, tag, parse("type", type, ContactType.fromCode(type)),
                parse("consent", consent, ConsentStatus.fromCode(consent)), managerId);
        return contacts.list(me.workspace(), filter, cursor, Cursor.limit(limit, Contacts.MAX_PAGE));
    }

    @GetMapping("/{id}")
    @Access.Read
    @Operation(summary = "Get a contact")
    Contact get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return contacts.get(me.workspace(), id);
    }

    @PostMapping
    @Access.EditAudience
    @Operation(summary = "Create a contact", description = "409 when a contact with the email exists; use upsert to merge instead.")
    ResponseEntity<Contact> create(@AuthenticationPrincipal OrbitaPrincipal me, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = ContactInput.class))) @RequestBody JsonNode input) {
        Contact c = contacts.create(me, ContactInput.fromJson(input), Contacts.Origin.API);
        return ResponseEntity.created(URI.create("/api/v1/contacts/" + c.id())).body(c);
    }

    @PatchMapping("/{id}")
    @Access.EditAudience
    @Operation(summary = "Change a contact", description = "Only the fields present in the body change; null clears a field.")
    Contact update(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = ContactInput.class))) @RequestBody JsonNode input) {
        return contacts.update(me, id, ContactInput.fromJson(input), Contacts.Origin.API);
    }

    @DeleteMapping("/{id}")
    @Access.EditAudience
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a contact")
    void delete(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        contacts.delete(me, id);
    }

    @PostMapping("/upsert")
    @Access.EditAudience
    @Operation(summary = "Create or update a contact by email", description = """
            Finds the contact by email (case-insensitive) and changes only the fields present; creates it when absent.
            Answers 201 when created, 200 otherwise, with the contact.""")
    ResponseEntity<Contact> upsert(@AuthenticationPrincipal OrbitaPrincipal me, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = ContactInput.class))) @RequestBody JsonNode input) {
        Bulk.ItemResult r = contacts.upsert(me, ContactInput.fromJson(input), Contacts.Origin.API);
        Contact c = contacts.get(me.workspace(), r.id());
        return ResponseEntity.status(r.status().equals("created") ? HttpStatus.CREATED : HttpStatus.OK).body(c);
    }

    @PostMapping("/bulk")
    @Access.EditAudience
    @Operation(summary = "Upsert up to 1,000 contacts by email", description = """
            Each item is created or updated on its own; the response lists every item with status created, updated,
            unchanged or error (with the field problems). Items with the same email are merged in order.""")
    Bulk.Result bulk(@AuthenticationPrincipal OrbitaPrincipal me, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = BulkRequest.class))) @RequestBody JsonNode request) {
        List<Bulk.Item<ContactInput>> items = Bulk.read(request, Contacts.MAX_BULK, ContactInput::fromJson);
        return contacts.bulkUpsert(me, items, Contacts.Origin.API);
    }

    @GetMapping("/{id}/consent-history")
    @Access.Read
    @Operation(summary = "Consent history of a contact", description = "Every subscription status change: when, how, from where and by whom; newest first.")
    List<ConsentEvent> consentHistory(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        return contacts.consentHistory(me.workspace(), id);
    }

    static <E> E parse(String field, String raw, E parsed) {
        if (raw != null && !raw.isBlank() && parsed == null) {
            throw new ValidationException(FieldProblem.of(field, "code.unknown", field + " has an unknown value: " + raw));
        }
        return parsed;
    }
}
