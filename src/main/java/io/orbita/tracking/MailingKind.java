package io.orbita.tracking;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of mailing a contact can keep or drop in the preference centre. Service (transactional) letters are not
 * among them: a contact cannot opt out of an order confirmation, and {@link Preferences} always allows them.
 */
public enum MailingKind {
    NEWS, CONTENT, EVENT, PROMO;

    /** The kinds offered in the preference centre, in the order it shows them. */
    public static final List<MailingKind> CHOOSABLE = List.of(values());

    /** Code of the mailing kind that no preference can stop. */
    public static final String SERVICE = "service";

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the kind for a code, or null for service and unknown codes */
    public static MailingKind fromCode(String code) {
        if (code == null) {
            return null;
        }
        for (MailingKind k : values()) {
            if (k.code().equals(code.strip().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        return null;
    }
}
