package io.orbita.delivery.inbound;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/** Inbound mail settings and the IMAP poller (only when a mailbox is configured). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InboundProperties.class)
class InboundConfiguration {

    @Bean
    ImapPollerHolder imapPollerHolder(InboundProperties properties, InboundProcessor processor, JdbcClient jdbc,
                                      PlatformTransactionManager tx) {
        return new ImapPollerHolder(properties.imap().enabled()
                ? new ImapPoller(properties.imap(), properties.maxMessageBytes(), processor, jdbc, tx) : null);
    }

    /** Runs the configured poller at its interval; does nothing when IMAP is not configured. */
    record ImapPollerHolder(ImapPoller poller) {
    }

    @Component
    static class ImapSchedule {
        private final ObjectProvider<ImapPollerHolder> holder;

        ImapSchedule(ObjectProvider<ImapPollerHolder> holder) {
            this.holder = holder;
        }

        @Scheduled(fixedDelayString = "${orbita.inbound.imap.interval:PT1M}", initialDelayString = "PT15S")
        void poll() {
            ImapPollerHolder h = holder.getIfAvailable();
            if (h != null && h.poller() != null) {
                h.poller().poll();
            }
        }
    }
}
