package io.orbita.activity;

import io.orbita.platform.JsonInput;
import io.orbita.platform.Problems;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One event as the API or the website tracker sends it. Who it is about: a contact (by id or email) or an anonymous
 * visitor id; a visitor that was identified earlier is attached to its contact automatically.
 */
public record EventInput(String type, Long contactId, String email, String visitorId, Instant occurredAt,
                         Map<String, Object> properties, String idempotencyKey) {

    static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Moscow");

    public static EventInput fromJson(JsonNode node) {
        Problems p = new Problems();
        JsonInput j = JsonInput.of(node, p);
        Optional<String> type = j.text("type");
        Optional<Long> contactId = j.id("contactId");
        Optional<String> email = j.text("email");
        Optional<String> visitorId = j.text("visitorId");
        Optional<Instant> occurredAt = j.instant("occurredAt", DEFAULT_ZONE);
        Optional<Map<String, Object>> properties = j.object("properties");
        Optional<String> key = j.text("idempotencyKey");
        j.rejectUnknown();
        p.throwIfAny();
        return new EventInput(value(type), value(contactId), value(email), value(visitorId), value(occurredAt),
                value(properties), value(key));
    }

    private static <T> T value(Optional<T> o) {
        return o == null ? null : o.orElse(null);
    }
}
