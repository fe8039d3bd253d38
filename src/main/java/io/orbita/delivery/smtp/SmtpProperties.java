package io.orbita.delivery.smtp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code orbita.smtp}: either {@code relays[...]} or the single relay of {@code host} ({@code ORBITA_SMTP_HOST} and
 * friends). With neither, mail goes to the local capture server.
 *
 * @param domainRates messages per second per recipient domain (punycode), e.g. {@code mail.ru: 20}
 * @param defaultDomainRate per-second limit for every other recipient domain (0: none)
 * @param failuresToPause consecutive connection failures of a relay that pause it
 * @param pause how long a failing relay is left alone before it is tried again
 */
@ConfigurationProperties("orbita.smtp")
public record SmtpProperties(String host, Integer port, String username, String password, String security,
                             Integer connections, Double perSecond, List<RelaySettings> relays,
                             Map<String, Double> domainRates, Double defaultDomainRate, Integer failuresToPause,
                             Duration pause, Duration timeout) {

    public SmtpProperties {
        relays = relays == null ? List.of() : List.copyOf(relays);
        domainRates = domainRates == null ? Map.of() : Map.copyOf(domainRates);
        defaultDomainRate = defaultDomainRate == null ? 0 : defaultDomainRate;
        failuresToPause = failuresToPause == null ? 5 : failuresToPause;
        pause = pause == null ? Duration.ofSeconds(30) : pause;
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
    }

    /** The configured relays; empty when none is (then the capture server is used). */
    public List<RelaySettings> configured() {
        if (!relays.isEmpty()) {
            return relays;
        }
        if (host == null || host.isBlank()) {
            return List.of();
        }
        return List.of(new RelaySettings("relay", host.strip(), port == null ? 587 : port, security, username, password,
                connections == null ? 4 : connections, perSecond == null ? 0 : perSecond));
    }
}
