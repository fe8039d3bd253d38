package io.orbita.content;

import java.time.Instant;

/** One saved state of a template: every save makes one, and any can be restored (which saves it as the newest). */
public record TemplateVersion(long templateId, int version, String subject, String preheader, String html, String text,
                              Long layoutId, Instant savedAt, String savedBy) {
}
