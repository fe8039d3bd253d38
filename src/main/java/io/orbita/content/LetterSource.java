package io.orbita.content;

/**
 * What to render: a saved template ({@code templateId}, optionally a {@code version}), or inline Liquid source given
 * directly (subject and html required, text optional: it is made from the HTML when absent).
 */
public record LetterSource(Long templateId, Integer version, String subject, String preheader, String html, String text) {

    public static LetterSource template(long templateId) {
        return new LetterSource(templateId, null, null, null, null, null);
    }

    /**
     * A saved template (its current version) with a Liquid subject and/or preheader replacing the template's own; a null
     * one keeps the template's. The template's layout, HTML and text are used as they are.
     */
    public static LetterSource template(long templateId, String subject, String preheader) {
        return new LetterSource(templateId, null, subject, preheader, null, null);
    }

    public static LetterSource inline(String subject, String html, String text) {
        return new LetterSource(null, null, subject, null, html, text);
    }

    public boolean isTemplate() {
        return templateId != null;
    }
}
