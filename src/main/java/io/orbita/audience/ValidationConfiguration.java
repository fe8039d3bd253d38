package io.orbita.audience;

import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses how domains are checked for mail servers: not at all (default, and in tests) or through DNS. */
@Configuration(proxyBeanMethods = false)
class ValidationConfiguration {

    @Bean
    MailDomains mailDomains(@Value("${orbita.validation.dns-lookup:false}") boolean enabled,
                            @Value("${orbita.validation.dns-server:}") String server,
                            @Value("${orbita.validation.dns-timeout:2s}") Duration timeout, Clock clock) {
        return enabled ? new DnsMailDomains(server, timeout, clock) : MailDomains.OFF;
    }
}
