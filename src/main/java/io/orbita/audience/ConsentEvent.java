package io.orbita.audience;

import java.time.Instant;

/**
 * One entry of a contact's consent history: the status it moved to, when, how ({@code method}: api, ui, import, form,
 * unsubscribe link...), from where ({@code source}: a form, a key, an address) and by whom.
 */
public record ConsentEvent(long id, ConsentStatus status, Instant at, String method, String source, String actor) {
}
