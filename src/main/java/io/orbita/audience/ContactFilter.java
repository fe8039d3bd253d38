package io.orbita.audience;

/**
 * Filters of the contacts list; all optional and combined with AND.
 *
 * @param q free text matched against email and names (substring, case-insensitive)
 */
public record ContactFilter(String q, String email, Long companyId, String tag, ContactType type,
                            ConsentStatus consent, Long managerId) {

    public static ContactFilter none() {
        return new ContactFilter(null, null, null, null, null, null, null);
    }
}
