package io.orbita.tracking.internal;

import io.orbita.audience.ConsentStatus;
import io.orbita.audience.Contact;
import io.orbita.audience.Contacts;
import io.orbita.platform.NotFoundException;
import io.orbita.tracking.MailingKind;
import io.orbita.tracking.Preferences;
import io.orbita.tracking.Unsubscribed;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a recipient decides on the unsubscribe page and in the preference centre. Consent changes go through the
 * audience module, so each lands in the contact's consent history with how it was made and from which message.
 */
@Component
public class RecipientChoices {

    public static final String UNSUBSCRIBE_LINK = "unsubscribe_link";
    public static final String ONE_CLICK = "one_click";
    public static final String PREFERENCE_CENTRE = "preference_centre";
    static final String ACTOR = "recipient";

    private final Contacts contacts;
    private final Preferences preferences;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RecipientChoices(Contacts contacts, Preferences preferences, ApplicationEventPublisher events, Clock clock) {
        this.contacts = contacts;
        this.preferences = preferences;
        this.events = events;
        this.clock = clock;
    }

    /** The contact a link belongs to: by id, or for a letter to a bare address the contact with that address now. */
    public Optional<Contact> contact(Tokens.Recipient r) {
        Long id = r.contactId() != null ? r.contactId()
                : r.email() == null ? null : contacts.findIdByEmail(r.workspace(), r.email());
        if (id == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(contacts.get(r.workspace(), id));
        } catch (NotFoundException e) {
            return Optional.empty(); // deleted since the letter went out
        }
    }

    /**
     * Unsubscribes from all marketing mail. Only a subscribed contact changes: a bounced or complained one keeps that
     * stronger status. Repeating it (a second click, a mail client retrying the POST) changes nothing.
     */
    @Transactional
    public void unsubscribe(Tokens.Recipient r, String method) {
        Optional<Contact> contact = contact(r);
        boolean changed = contact.filter(c -> c.consentStatus() == ConsentStatus.SUBSCRIBED)
                .map(c -> contacts.changeConsent(r.workspace(), c.id(), ConsentStatus.UNSUBSCRIBED, origin(method, r), ACTOR))
                .orElse(false);
        // An address that is no contact is announced every time: only a listener that keeps its own list knows it.
        if (changed || contact.isEmpty()) {
            events.publishEvent(new Unsubscribed(r.workspace(), r.messageId(), contact.map(Contact::id).orElse(null),
                    contact.map(Contact::email).orElse(r.email()), method, clock.instant()));
        }
    }

    /**
     * Saves the preference centre: the kinds kept, the others dropped. An unsubscribed contact who keeps at least one
     * kind subscribes again (recorded as such); with none kept nothing about its consent changes.
     */
    @Transactional
    public void choose(Tokens.Recipient r, Set<MailingKind> kept) {
        Contact c = contact(r).orElseThrow(() -> new NotFoundException("contact", r.contactId() == null ? "-" : r.contactId()));
        Set<MailingKind> dropped = EnumSet.allOf(MailingKind.class);
        dropped.removeAll(kept);
        preferences.choose(r.workspace(), c.id(), dropped, r.messageId());
        if (!kept.isEmpty() && c.consentStatus() == ConsentStatus.UNSUBSCRIBED) {
            contacts.changeConsent(r.workspace(), c.id(), ConsentStatus.SUBSCRIBED, origin(PREFERENCE_CENTRE, r), ACTOR);
        }
    }

    private static Contacts.Origin origin(String method, Tokens.Recipient r) {
        return new Contacts.Origin(method, Long.toString(r.messageId()));
    }
}
