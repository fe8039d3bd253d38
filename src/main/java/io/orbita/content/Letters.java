package io.orbita.content;

import io.orbita.platform.WorkspaceId;

/**
 * How every other module turns a letter into subject, preheader, HTML and text: the transactional API, test sends,
 * campaigns and journeys all come through here, so personalization, layouts, CSS inlining, the automatic text part and
 * the render limits are the same everywhere.
 *
 * <p>Rendering is two steps because parsing is the expensive part: {@link #prepare} parses the template, its layout and
 * snippets once; {@link #render} fills in one recipient. A {@link PreparedLetter} is not thread-safe (liqp templates are
 * not): prepare one per worker thread or per batch.
 */
public interface Letters {

    /**
     * Parses a saved template (its current version, or the one named) or inline source.
     *
     * @throws io.orbita.platform.NotFoundException when the template is not in this workspace
     * @throws io.orbita.platform.ValidationException when the Liquid does not parse; the problems name the part
     *         (subject, html, ...) and the line
     */
    PreparedLetter prepare(WorkspaceId workspace, LetterSource source);

    /**
     * Fills in one recipient. Never throws for data problems: a variable that is missing renders empty and is named in
     * {@link RenderedLetter#warnings()}; a letter that breaks a render limit (time, iterations, size) throws
     * {@link io.orbita.platform.ValidationException}.
     */
    RenderedLetter render(PreparedLetter letter, LetterData data);

    /**
     * Loads in one go what {@link #render} would look up per recipient (the contacts, and what the letter needs of them),
     * for the recipients about to be rendered with {@code letter}: a batch of messages costs one query instead of one per
     * message. Optional: {@link #render} works without it, and looks up whatever was not prefetched.
     */
    default void prefetch(PreparedLetter letter, java.util.Collection<Long> contactIds) {
    }

    /**
     * As {@link #prefetch(PreparedLetter, java.util.Collection)}, with contacts the caller has already loaded (they must be
     * of the letter's workspace): nothing is queried for them.
     */
    default void prefetch(PreparedLetter letter, java.util.Map<Long, io.orbita.audience.Contact> contacts) {
    }
}
