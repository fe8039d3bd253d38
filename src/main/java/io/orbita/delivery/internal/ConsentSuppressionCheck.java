package io.orbita.delivery.internal;

import io.orbita.audience.ConsentStatus;
import io.orbita.audience.Contacts;
import io.orbita.delivery.SuppressionCheck;
import io.orbita.platform.WorkspaceId;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;

/**
 * The default {@link SuppressionCheck}: marketing mail only to subscribed contacts; transactional mail to anyone whose
 * address has not bounced hard (an order confirmation still goes to someone who unsubscribed from news).
 */
@Configuration(proxyBeanMethods = false)
class ConsentSuppressionCheck {

    /** A fallback: any other {@link SuppressionCheck} bean (the suppression list) takes its place. */
    @Bean
    @Fallback
    SuppressionCheck consentSuppressions(Contacts contacts) {
        return (WorkspaceId ws, Long contactId, String address, boolean marketing) -> {
            Long id = contactId != null ? contactId : contacts.findIdByEmail(ws, address);
            if (id == null) {
                return Optional.empty();
            }
            ConsentStatus status;
            try {
                status = contacts.get(ws, id).consentStatus();
            } catch (io.orbita.platform.NotFoundException e) {
                return Optional.empty();
            }
            if (status == null || status == ConsentStatus.SUBSCRIBED) {
                return Optional.empty();
            }
            if (marketing || status == ConsentStatus.BOUNCED) {
                return Optional.of("contact is " + status.code());
            }
            return Optional.empty();
        };
    }
}
