package io.orbita.activity.web;

import io.orbita.activity.EventInput;
import io.orbita.activity.Events;
import io.orbita.activity.Timeline;
import io.orbita.audience.Contacts;
import io.orbita.platform.Bulk;
import io.orbita.platform.Cursor;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.JsonInput;
import io.orbita.platform.Page;
import io.orbita.platform.Problems;
import io.orbita.platform.TimelineSource;
import io.orbita.platform.ValidationException;
import io.orbita.workspace.Access;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Events", description = "Behaviour from the site, the CRM or any system: the raw material of segments and journeys.")
class EventsApi {

    record Batch(@Schema(description = "1 to 1,000 events") List<EventInput> events) {
    }

    private final Events events;
    private final Timeline timeline;
    private final Contacts contacts;

    EventsApi(Events events, Timeline timeline, Contacts contacts) {
        this.events = events;
        this.timeline = timeline;
        this.contacts = contacts;
    }

    @PostMapping("/api/v1/events")
    @Access.EditAudience
    @Operation(summary = "Record a batch of events", description = """
            Each event: type (page_viewed, product_viewed, content_viewed, cart_updated, checkout_started, order_placed,
            form_submitted, or any lower-case custom name), who (contactId, email of an existing contact, or an
            anonymous visitorId), occurredAt (ISO; default now), properties (any JSON object up to 16 KB) and an optional
            idempotencyKey: a replayed key stores nothing and answers "unchanged". Per-item results as in every bulk call.""")
    Bulk.Result record(@AuthenticationPrincipal OrbitaPrincipal me,
                       @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = Batch.class)))
                       @RequestBody JsonNode body) {
        return events.record(me.workspace(), Bulk.read(body, "events", Events.MAX_BATCH, EventInput::fromJson), "api");
    }

    @PostMapping("/api/v1/events/identify")
    @Access.EditAudience
    @Operation(summary = "Say which contact an anonymous visitor is", description = """
            Body: {visitorId, contactId or email}. Earlier anonymous events of the visitor move to the contact's timeline,
            and later ones attach to it automatically. Answers how many events were attached.""")
    Map<String, Object> identify(@AuthenticationPrincipal OrbitaPrincipal me, @RequestBody JsonNode body) {
        Problems p = new Problems();
        JsonInput j = JsonInput.of(body, p);
        Optional<String> visitor = j.text("visitorId");
        Optional<Long> contactId = j.id("contactId");
        Optional<String> email = j.text("email");
        j.rejectUnknown();
        p.throwIfAny();
        Long contact = contactId != null && contactId.isPresent() ? contactId.get()
                : email != null && email.isPresent() ? contacts.findIdByEmail(me.workspace(), email.get()) : null;
        if (contact == null || !contacts.exists(me.workspace(), contact)) {
            throw new ValidationException(FieldProblem.of(contactId != null ? "contactId" : "email", "contact.unknown",
                    "no such contact in this workspace"));
        }
        int attached = events.identify(me.workspace(), visitor == null ? null : visitor.orElse(null), contact);
        return Map.of("contactId", contact, "eventsAttached", attached);
    }

    @GetMapping("/api/v1/contacts/{id}/timeline")
    @Access.Read
    @Operation(summary = "A contact's timeline", description = "Events, orders and consent changes (letters later), newest first, keyset-paginated.")
    Page<TimelineSource.Entry> timeline(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
                                        @RequestParam(required = false) String cursor,
                                        @RequestParam(required = false) Integer limit) {
        contacts.get(me.workspace(), id);
        return timeline.of(me.workspace(), id, cursor, Cursor.limit(limit, 200));
    }
}
