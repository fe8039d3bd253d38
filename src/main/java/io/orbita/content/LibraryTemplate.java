package io.orbita.content;

import java.util.Map;

/**
 * A ready letter of the template library in one language: complete responsive HTML (brand-neutral frame included),
 * subject and preheader in Liquid.
 *
 * @param sampleData the {@code data} the letter expects from its caller, as an example (cart lines, survey link, ...)
 */
public record LibraryTemplate(String code, String lang, String title, String description, String kind, String scenario,
                              String subject, String preheader, String html, Map<String, Object> sampleData) {
}
