package io.orbita.delivery.internal;

import io.orbita.audience.ConsentStatus;
import io.orbita.audience.Contacts;
import io.orbita.delivery.SuppressionCheck;
import io.orbita.platform.NotFoundException;
import io.orbita.platform.WorkspaceId;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.stereotype.Component;

/**
 * The consent rule of {@link SuppressionCheck}: marketing mail only to subscribed contacts; transactional mail to anyone
 * whose address has not bounced (an order confirmation still goes to someone who unsubscribed from news). It is the
 * whole check until the suppression list is wired in: a bean of type {@link SuppressionCheck} that asks the list and
 * then {@link #refusal this rule} replaces the fallback below.
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
        if (status == null || status == ConsentStatus.SUBSCRIBED) {
            return Optional.empty();
        }
        if (marketing || status == ConsentStatus.BOUNCED) {
            return Optional.of("contact is " + status.code());
        }
        return Optional.empty();
    }

    @Configuration(proxyBeanMethods = false)
    static class Default {

        /** A fallback: any other {@link SuppressionCheck} bean takes its place. */
        @Bean
        @Fallback
        SuppressionCheck consentSuppressions(ConsentSuppressionCheck consent) {
            return consent::refusal;
        }
    }
}
