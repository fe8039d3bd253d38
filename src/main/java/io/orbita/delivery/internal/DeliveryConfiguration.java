package io.orbita.delivery.internal;

import io.orbita.delivery.smtp.RelayPool;
import io.orbita.delivery.smtp.RelaySettings;
import io.orbita.delivery.smtp.SmtpListener;
import io.orbita.delivery.smtp.SmtpProperties;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The relays: the configured ones, or, with none configured, the local capture server that Orbita starts itself
 * ({@code orbita.delivery.capture-port}), reached through the same SMTP client as a real relay.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SmtpProperties.class)
class DeliveryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeliveryConfiguration.class);

    /** The capture server, or null when real relays are configured. */
    record Capture(SmtpListener listener) implements AutoCloseable {
        @Override
        public void close() {
            if (listener != null) {
                listener.close();
            }
        }
    }

    @Bean(destroyMethod = "close")
    Capture captureServer(SmtpProperties props, CapturedMail captured, @Value("${orbita.delivery.capture-port:2525}") int port)
            throws IOException {
        if (!props.configured().isEmpty()) {
            return new Capture(null);
        }
        SmtpListener listener;
        try {
            listener = new SmtpListener(port, captured);
        } catch (java.net.BindException e) {
            // A second Orbita on the same machine: its capture server takes any free port rather than failing to start.
            listener = new SmtpListener(0, captured);
            log.warn("Capture SMTP port {} is taken; using {} instead", port, listener.port());
        }
        log.info("No SMTP relay configured (ORBITA_SMTP_HOST): mail goes to the local capture server on port {}; see Sending > Captured mail",
                listener.port());
        return new Capture(listener);
    }

    @Bean(destroyMethod = "close")
    RelayPool relayPool(Clock clock, SmtpProperties props, Capture capture,
                        @Value("${orbita.delivery.bounce-domain}") String bounceDomain) {
        List<RelaySettings> relays = capture.listener() == null ? props.configured()
                : List.of(capturedRelay(capture.listener().port()));
        return new RelayPool(clock, props, java.net.IDN.toASCII(bounceDomain), relays);
    }

    static RelaySettings capturedRelay(int port) {
        return new RelaySettings("capture", "127.0.0.1", port, "none", null, null, 4, 0);
    }
}
