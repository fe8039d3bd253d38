package io.orbita.delivery.inbound;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of inbound mail ({@code orbita.inbound.*}).
 *
 * @param smtpPort port of the built-in SMTP listener for the bounce domain; 0 or unset = off
 * @param smtpBind address the listener binds to
 * @param maxMessageBytes larger messages are cut to this size before they are classified and stored
 * @param softBounceLimit this many soft bounces of one address within {@code softBounceWindow} suppress it
 * @param keepMessages how long stored inbound messages are kept
 * @param imap a mailbox to poll; off when no host is set
 */
@ConfigurationProperties("orbita.inbound")
public record InboundProperties(Integer smtpPort, String smtpBind, Integer maxMessageBytes, Integer softBounceLimit,
                                Duration softBounceWindow, Duration keepMessages, Imap imap) {

    public InboundProperties {
        smtpPort = smtpPort == null ? 0 : smtpPort;
        smtpBind = smtpBind == null || smtpBind.isBlank() ? "0.0.0.0" : smtpBind;
        maxMessageBytes = maxMessageBytes == null || maxMessageBytes <= 0 ? 1_048_576 : maxMessageBytes;
        softBounceLimit = softBounceLimit == null || softBounceLimit <= 0 ? 3 : softBounceLimit;
        softBounceWindow = softBounceWindow == null ? Duration.ofDays(14) : softBounceWindow;
        keepMessages = keepMessages == null ? Duration.ofDays(180) : keepMessages;
        imap = imap == null ? new Imap(null, null, null, null, null, null, null, null) : imap;
    }

    /**
     * @param ssl IMAPS (implicit TLS); otherwise plain IMAP with STARTTLS when offered
     * @param processedFolder where processed messages are moved; unset = they are flagged as seen and deleted
     */
    public record Imap(String host, Integer port, String user, String password, String folder, Duration interval,
                       Boolean ssl, String processedFolder) {

        public Imap {
            folder = folder == null || folder.isBlank() ? "INBOX" : folder;
            interval = interval == null ? Duration.ofMinutes(1) : interval;
            ssl = ssl != null && ssl;
            port = port == null || port <= 0 ? (ssl ? 993 : 143) : port;
        }

        public boolean enabled() {
            return host != null && !host.isBlank();
        }

        @Override
        public String toString() {
            // never the password
            return "Imap[" + user + "@" + host + ":" + port + "/" + folder + "]";
        }
    }
}
