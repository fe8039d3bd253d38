package io.orbita.audience.web;

import io.orbita.audience.Contacts;
import io.orbita.platform.FieldProblem;
import io.orbita.platform.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** Reads {@code {"items": [...]}}: an item that cannot be read becomes a failed item, never a failed call. */
final class BulkItems {

    private BulkItems() {
    }

    static <T> List<Contacts.BulkItem<T>> read(JsonNode body, Function<JsonNode, T> reader) {
        JsonNode items = body == null ? null : body.get("items");
        if (items == null || !items.isArray()) {
            throw new ValidationException(FieldProblem.of("items", "field.required", "items must be an array"));
        }
        List<Contacts.BulkItem<T>> out = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            try {
                out.add(Contacts.BulkItem.of(reader.apply(item)));
            } catch (ValidationException e) {
                out.add(Contacts.BulkItem.invalid(e.problems()));
            }
        }
        return out;
    }
}
