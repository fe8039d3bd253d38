package io.orbita.segments;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A rule segment or a static list.
 *
 * @param kind     {@code rule} or {@code list}
 * @param rule     the rule tree (null for lists)
 * @param builtIn  key of a built-in segment ({@code type_partner}, {@code rfm_champions}, ...), null for the user's own
 * @param size     members at the last refresh (lists: now)
 */
public record Segment(long id, String kind, String name, String description, JsonNode rule, String builtIn, long size,
                      Instant refreshedAt, Instant createdAt, Instant updatedAt) {

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isList() {
        return "list".equals(kind);
    }
}
