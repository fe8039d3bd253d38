package io.orbita.delivery.inbound;

/** The bytes given to the classifier are not an RFC 822 message. */
public class NotMailException extends RuntimeException {
    public NotMailException(String message) {
        super(message);
    }
}
