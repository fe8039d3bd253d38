package io.orbita.tracking.web;

/** A token in a recipient's link that is not ours (tampered, truncated by a mail client, or made up). */
class InvalidLink extends RuntimeException {
    InvalidLink() {
        super("invalid or tampered link", null, false, false);
    }
}
