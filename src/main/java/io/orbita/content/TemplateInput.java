package io.orbita.content;

/**
 * A template as written by its author. {@code name}, {@code kind}, {@code subject} and {@code html} are required;
 * the rest may be null.
 */
public record TemplateInput(String name, String kind, String scenario, String subject, String preheader, String html,
                            String text, Long layoutId) {
}
