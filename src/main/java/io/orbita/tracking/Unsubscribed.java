package io.orbita.tracking;

import io.orbita.platform.WorkspaceId;
import java.time.Instant;

/**
 * Module event: a recipient unsubscribed (a change, not a repeat) through a letter's link, its one-click {@code List-Unsubscribe} POST or the
 * preference centre. The contact's consent is already changed (and in its history) when this is published; the event
 * is for those who keep their own lists, such as delivery's suppressions for addresses without a contact.
 *
 * @param contactId the contact, or null when the letter went to an address that is no contact
 * @param email the address the letter went to, when known
 * @param method unsubscribe_link, one_click or preference_centre
 */
public record Unsubscribed(WorkspaceId workspace, long messageId, Long contactId, String email, String method, Instant at) {
}
