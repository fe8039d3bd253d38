package io.orbita.delivery.internal;

import io.orbita.audience.ConsentStatus;
import io.orbita.audience.Contacts;
import io.orbita.delivery.SuppressionCheck;
import io.orbita.delivery.Suppressions;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.WorkspaceId;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * The consent rule of {@link SuppressionCheck}: marketing mail only to subscribed contacts; transactional mail to anyone
 * whose address has not bounced (an order confirmation still goes to someone who unsubscribed from news). The
 * {@link SuppressionCheck} below asks the workspace's suppression list first, then this rule.
 */
@Component
public class ConsentSuppressionCheck {

    private final Contacts contacts;

    ConsentSuppressionCheck(Contacts contacts) {
        this.contacts = contacts;
    }

    public Optional<String> refusal(WorkspaceId ws, Long contactId, String address, boolean marketing) {
        Long id = contactId != null ? contactId : contacts.findIdByEmail(ws, address);
        if (id == null) {
            return Optional.empty();
        }
        ConsentStatus status;
        try {
            status = contacts.get(ws, id).consentStatus();
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        return decide(status, marketing);
    }

    /** As {@link #refusal}, with the contacts of the batch already loaded ({@code known}: every existing one of them). */
    public Optional<String> refusal(WorkspaceId ws, Long contactId, String address, boolean marketing,
                                    java.util.Map<Long, io.orbita.audience.Contact> known) {
        if (contactId == null) {
            return refusal(ws, null, address, marketing);
        }
        io.orbita.audience.Contact c = known.get(contactId);
        return c == null ? Optional.empty() : decide(c.consentStatus(), marketing);
    }

    private static Optional<String> decide(ConsentStatus status, boolean marketing) {
        if (status == null || status == ConsentStatus.SUBSCRIBED) {
            return Optional.empty();
        }
        if (marketing || status == ConsentStatus.BOUNCED) {
            return Optional.of("contact is " + status.code());
        }
        return Optional.empty();
    }

    @Configuration(proxyBeanMethods = false)
    static class Wiring {

        /**
         * The workspace's suppression list first (hard bounces, complaints, soft-bounce limit, unsubscribes, manual
         * and imported entries: they stop every kind of mail), then the consent rule above.
         */
        @Bean
        SuppressionCheck suppressionCheck(Suppressions suppressions, ConsentSuppressionCheck consent) {
            return new SuppressionCheck() {
                @Override
                public Optional<String> refusal(WorkspaceId ws, Long contactId, String address, boolean marketing) {
                    return suppressions.isSuppressed(ws, address)
                            ? Optional.of("on the suppression list")
                            : consent.refusal(ws, contactId, address, marketing);
                }

                /** One query against the suppression list for the whole batch; consent from the contacts given. */
                @Override
                public java.util.List<Optional<String>> refusals(WorkspaceId ws, java.util.List<Recipient> recipients,
                                                                 java.util.Map<Long, io.orbita.audience.Contact> contacts) {
                    java.util.Set<String> suppressed = suppressions.suppressedAmong(ws,
                            recipients.stream().map(Recipient::address).toList());
                    return recipients.stream().map(r -> suppressed.contains(r.address())
                            ? Optional.of("on the suppression list")
                            : consent.refusal(ws, r.contactId(), r.address(), r.marketing(), contacts)).toList();
                }
            };
        }
    }
}
