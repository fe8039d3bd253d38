package io.orbita.delivery.smtp;

/**
 * One SMTP relay.
 *
 * @param security {@code none}, {@code starttls} (required) or {@code tls} (implicit, port 465)
 * @param connections persistent connections kept open to it
 * @param perSecond messages per second at most (0: no limit)
 */
public record RelaySettings(String name, String host, int port, String security, String username, String password,
                            int connections, double perSecond) {

    public RelaySettings {
        security = security == null || security.isBlank() ? "starttls" : security.strip().toLowerCase(java.util.Locale.ROOT);
        if (!security.equals("none") && !security.equals("starttls") && !security.equals("tls")) {
            throw new IllegalArgumentException("orbita.smtp security must be none, starttls or tls, not " + security);
        }
        connections = connections <= 0 ? 4 : connections;
        name = name == null || name.isBlank() ? host + ":" + port : name;
    }

    @Override
    public String toString() {
        // Never the password.
        return name + " (" + host + ":" + port + ", " + security + (username == null || username.isBlank() ? "" : ", auth") + ")";
    }
}
