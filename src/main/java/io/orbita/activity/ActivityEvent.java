package io.orbita.activity;

import java.time.Instant;
import java.util.Map;

/** One recorded event. {@code source} says how it arrived: api, tracker, or a module (mail results later). */
public record ActivityEvent(long id, String type, Long contactId, String visitorId, Instant occurredAt,
                            Map<String, Object> properties, String source) {
}
