package io.orbita.content;

import java.time.Instant;

/**
 * A letter template of a workspace, as of its current version.
 *
 * @param kind service, news, content, event or promo (see {@link TemplateKinds})
 * @param scenario the retention scenario it serves (welcome, post_sale, ...), or null
 * @param text the plain-text part's Liquid, or null to make it from the HTML
 * @param layoutId the layout the HTML is put into, or null for a complete HTML document
 * @param libraryCode the library template it was copied from, or null
 */
public record Template(long id, String name, String kind, String scenario, String subject, String preheader, String html,
                       String text, Long layoutId, String libraryCode, int version, Instant createdAt, Instant updatedAt) {
}
