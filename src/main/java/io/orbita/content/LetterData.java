package io.orbita.content;

import java.util.Map;

/**
 * Whom a letter is rendered for. With a {@code contactId} the renderer loads the contact, its company, personal
 * manager, custom fields, recent orders and recommended products itself; {@code extra} adds caller data (event
 * properties such as cart lines, the transactional API's {@code data}) under {@code data} in Liquid.
 *
 * @param contactId the contact, or null for a bare address (then only {@code email} and {@code extra} are known)
 * @param email the recipient's address
 * @param extra caller data, may be empty
 * @param links the recipient's own links; any of them may be null (then the Liquid variable is empty)
 */
public record LetterData(Long contactId, String email, Map<String, Object> extra, LetterLinks links) {

    public LetterData {
        extra = extra == null ? Map.of() : extra;
        links = links == null ? LetterLinks.NONE : links;
    }

    /** The links a letter offers its recipient, made by the sender per message (tokens are signed there). */
    public record LetterLinks(String unsubscribe, String preferences, String webVersion) {
        public static final LetterLinks NONE = new LetterLinks(null, null, null);
    }
}
