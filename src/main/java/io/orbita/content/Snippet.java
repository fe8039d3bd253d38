package io.orbita.content;

import java.time.Instant;

/** A reusable piece of Liquid, included by name: {@code {% include 'manager_block' %}}. */
public record Snippet(long id, String name, String body, Instant createdAt, Instant updatedAt) {
}
