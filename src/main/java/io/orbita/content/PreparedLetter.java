package io.orbita.content;

import io.orbita.platform.WorkspaceId;

/** A parsed letter, ready to be rendered for many recipients by one thread. Made by {@link Letters#prepare}. */
public interface PreparedLetter {

    WorkspaceId workspace();

    /** The template it came from, or null for inline source. */
    Long templateId();

    /** The template version it came from, or null for inline source. */
    Integer version();
}
