package io.orbita.content.web;

import io.orbita.platform.JsonInput;
import io.orbita.platform.Problems;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The body of a layout or snippet request: a name and a Liquid text (called {@code html} for layouts, {@code body} for
 * snippets). Fields left out keep the current values, so PATCH changes only what it names; unknown fields are errors.
 */
record NamedSourceInput(String name, String text) {

    /** @param current the stored values, or null when creating */
    static NamedSourceInput read(JsonNode body, String textField, NamedSourceInput current) {
        Problems p = new Problems();
        JsonInput j = JsonInput.of(body, p);
        Optional<String> name = j.text("name");
        Optional<String> text = j.text(textField);
        j.rejectUnknown();
        p.throwIfAny();
        return new NamedSourceInput(
                name == null ? (current == null ? null : current.name()) : name.orElse(null),
                text == null ? (current == null ? null : current.text()) : text.orElse(null));
    }
}
