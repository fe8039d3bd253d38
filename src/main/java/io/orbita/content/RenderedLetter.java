package io.orbita.content;

import java.util.List;

/**
 * A letter for one recipient: subject and preheader as plain text, HTML with its CSS inlined, and the plain-text part.
 *
 * @param warnings what the author should fix (unknown variables, ...); empty when all is well
 */
public record RenderedLetter(String subject, String preheader, String html, String text, List<String> warnings) {

    public RenderedLetter {
        warnings = List.copyOf(warnings);
    }
}
