package io.orbita.audience;

import java.util.Optional;

/**
 * Whether a domain can receive mail (has an MX record, or at least an A/AAAA record). Behind an interface because the
 * DNS of the internet is an outside service: tests give a fixed answer, production asks a resolver.
 */
public interface MailDomains {

    /** @return true or false when known, empty when the lookup is off, failed or timed out */
    Optional<Boolean> acceptsMail(String asciiDomain);

    /** The answer when lookups are switched off (the default). */
    MailDomains OFF = domain -> Optional.empty();
}
