package io.orbita.content;

import java.time.Instant;

/** A brand frame (header, footer, styles) with a {@code {{ content }}} slot where a template's HTML goes. */
public record Layout(long id, String name, String html, Instant createdAt, Instant updatedAt) {
}
