package io.orbita.tracking.web;

import io.orbita.audience.Contacts;
import io.orbita.platform.JsonInput;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.Problems;
import io.orbita.platform.WorkspaceId;
import io.orbita.tracking.Engagement;
import io.orbita.tracking.MailingKind;
import io.orbita.tracking.Preferences;
import io.orbita.workspace.Access;
import io.orbita.workspace.AuditLog;
import io.orbita.workspace.OrbitaPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/contacts/{id}/mailing-preferences")
@Tag(name = "Mailing preferences", description = """
        Which kinds of mailing (news, content, event, promo) a contact keeps or has dropped, as set by the contact in \
        the preference centre linked from every letter. Campaigns of a dropped kind skip the contact; service letters \
        always go. Consent (subscribed/unsubscribed) is separate and lives on the contact.""")
class PreferencesApi {

    /** A contact's choice, and when it last opened or clicked a letter (people only, not machines). */
    record View(long contactId, List<String> kept, List<String> dropped, Instant lastEngagedAt) {
    }

    /** The body of a change. */
    @Schema(description = "The kinds the contact drops; every other kind is kept.")
    record Change(@Schema(example = "[\"promo\"]") List<String> dropped) {
    }

    private final Contacts contacts;
    private final Preferences preferences;
    private final Engagement engagement;
    private final AuditLog audit;

    PreferencesApi(Contacts contacts, Preferences preferences, Engagement engagement, AuditLog audit) {
        this.contacts = contacts;
        this.preferences = preferences;
        this.engagement = engagement;
        this.audit = audit;
    }

    @GetMapping
    @Access.Read
    @Operation(summary = "A contact's mailing preferences", description = """
            The kinds of mailing the contact keeps and those it dropped, and when it last opened or clicked a letter \
            (opens by privacy proxies and clicks by link scanners do not count). 404 for an unknown contact.""")
    View get(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id) {
        requireContact(me.workspace(), id);
        return view(me.workspace(), id);
    }

    @PutMapping
    @Access.EditAudience
    @Operation(summary = "Set a contact's mailing preferences", description = """
            Replaces the contact's choice: exactly the listed kinds are dropped afterwards. For changes the contact \
            asked for by phone or mail; contacts make their own in the preference centre. Recorded in the audit log. \
            Unknown kinds and unknown fields are errors.""")
    View put(@AuthenticationPrincipal OrbitaPrincipal me, @PathVariable long id,
             @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = Change.class)))
             @RequestBody JsonNode body) {
        requireContact(me.workspace(), id);
        Problems p = new Problems();
        JsonInput in = JsonInput.of(body, p);
        Optional<List<String>> given = in.strings("dropped");
        in.rejectUnknown();
        Set<MailingKind> dropped = EnumSet.noneOf(MailingKind.class);
        if (given == null || given.isEmpty()) {
            p.add("dropped", "preferences.dropped", "dropped is required: a list of news, content, event, promo (may be empty)");
        } else {
            for (String code : given.get()) {
                MailingKind k = MailingKind.fromCode(code);
                if (k == null) {
                    p.add("dropped", "preferences.kind", "unknown mailing kind '" + code + "': use news, content, event or promo", code);
                } else {
                    dropped.add(k);
                }
            }
        }
        p.throwIfAny();
        preferences.choose(me.workspace(), id, dropped, null);
        audit.record(me, "contact.mailing_preferences", "contact", id,
                Map.of("dropped", dropped.stream().map(MailingKind::code).toList()));
        return view(me.workspace(), id);
    }

    private void requireContact(WorkspaceId ws, long id) {
        if (!contacts.exists(ws, id)) {
            throw new NotFoundException("contact", id);
        }
    }

    private View view(WorkspaceId ws, long id) {
        Set<MailingKind> dropped = preferences.dropped(ws, id);
        return new View(id,
                MailingKind.CHOOSABLE.stream().filter(k -> !dropped.contains(k)).map(MailingKind::code).toList(),
                MailingKind.CHOOSABLE.stream().filter(dropped::contains).map(MailingKind::code).toList(),
                engagement.lastEngagedAt(ws, id).orElse(null));
    }
}
